/**
 * A TCP link to a local fake platform that a fault case can cut: `up` passes bytes both ways,
 * `silent` takes connections and never answers (a black hole: a firewall that drops packets),
 * `refused` resets every connection at once (the host is down). Switching away from `up` cuts the
 * connections open through it, as a network outage does to a long poll.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the link does with a connection. */
export type LinkMode = 'up' | 'silent' | 'refused';

/** A running link. */
export interface SwitchableLink {
  /** `http://127.0.0.1:PORT`: what the bot is given in place of the platform's address. */
  readonly url: string;
  /** Connections made to the link since it started. */
  readonly connections: number;
  setMode(mode: LinkMode): void;
  close(): Promise<void>;
}

/** Starts a link on a free port to `target` (host:port), in `mode`. */
export async function startSwitchableLink(target: { host: string; port: number }, mode: LinkMode): Promise<SwitchableLink> {
  let current = mode;
  let connections = 0;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // A cut line is an error on either side; it is what the case wants, not a failure of the link.
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    connections++;
    track(client);
    if (current === 'refused') return void client.resetAndDestroy();
    if (current === 'silent') return;
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    setMode(mode) {
      current = mode;
      if (mode !== 'up') for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
