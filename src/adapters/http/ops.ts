/**
 * The operations endpoints over HTTP: /healthz (the process is alive), /readyz (it can work, see
 * ops/readiness.ts) and /metrics (Prometheus text format). Served on their own port
 * (HEALTH_PORT) or, in Telegram webhook mode, on the webhook's port beside the webhook.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorFields, type Logger } from '../../core/logger.js';
import type { Readiness } from '../../ops/readiness.js';

/** Answers a request when it is for an ops endpoint: true when it did, false to leave it to the caller. */
export type OpsRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the endpoints read. */
export interface OpsEndpoints {
  readonly readiness: () => Promise<Readiness>;
  readonly metrics: () => Promise<{ readonly contentType: string; readonly body: string }>;
  readonly logger: Logger;
}

const PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The route for /healthz, /readyz and /metrics (GET or HEAD); anything else is left to the caller. */
export function opsRoute(endpoints: OpsEndpoints): OpsRoute {
  const { logger } = endpoints;
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (!PATHS.has(path) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    answer(path, endpoints).then(
      ({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        logger.error('ops endpoint failed', { path, ...errorFields(error) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      },
    );
    return true;
  };
}

async function answer(path: string, endpoints: OpsEndpoints): Promise<{ status: number; type: string; body: string }> {
  if (path === '/healthz') return { status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' };
  if (path === '/readyz') {
    const readiness = await endpoints.readiness();
    const failing = readiness.checks.filter((check) => !check.ok).map((check) => check.name);
    const body = { ready: readiness.ready, ...(failing.length > 0 ? { failing } : {}), checks: readiness.checks };
    return { status: readiness.ready ? 200 : 503, type: 'application/json; charset=utf-8', body: `${JSON.stringify(body)}\n` };
  }
  const { contentType, body } = await endpoints.metrics();
  return { status: 200, type: contentType, body };
}

/** A running ops server. */
export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the ops route alone on `host:port` (port 0: any free one); every other path is 404. */
export async function startOpsServer(options: { readonly host: string; readonly port: number; readonly route: OpsRoute; readonly logger: Logger }): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    if (!options.route(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.listen(options.port, options.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  const { port } = server.address() as AddressInfo;
  options.logger.info('health and metrics listening', { host: options.host, port });
  return {
    port,
    async close() {
      const closed = once(server, 'close');
      server.close();
      // Prometheus keeps its scrape connection open; it must not hold the shutdown.
      server.closeAllConnections();
      await closed;
    },
  };
}
