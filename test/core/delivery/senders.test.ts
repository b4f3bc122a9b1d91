import { describe, expect, it, vi } from 'vitest';
import { senderPrefix, startSenderRegistry, type SenderLeases, type SenderRegistry } from '../../../src/core/delivery/senders.js';
import { silentLogger } from '../../../src/core/logger.js';
import { openMemoryStorage } from '../../../src/storage/memory/index.js';

const HEARTBEAT = 40;

function registry(leases: Parameters<typeof startSenderRegistry>[0]['leases'], owner: string) {
  const changes: { senders: number; notBefore: number; at: number }[] = [];
  const state = { busy: true };
  const r: SenderRegistry = startSenderRegistry({
    leases,
    owner,
    platforms: ['telegram'],
    logger: silentLogger,
    leaseMs: HEARTBEAT * 5,
    heartbeatMs: HEARTBEAT,
    busy: () => state.busy,
    onChange: (_platform, senders, notBefore) => changes.push({ senders, notBefore, at: Date.now() }),
  });
  /** Resolves once the registry counted itself in (what the worker waits for before sending). */
  const ready = async () => {
    while (!r.ready('telegram')) await sleep(2);
  };
  return { r, changes, state, ready };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('senders sharing one rate', () => {
  it('a process alone sends at once at the full rate; one that joins others waits until their counts include it, and each counts both within a heartbeat', async () => {
    const storage = openMemoryStorage();
    const a = registry(storage.leases, 'a');
    await a.ready();
    expect(a.r.senders('telegram')).toBe(1);
    expect(a.changes).toEqual([{ senders: 1, notBefore: 0, at: expect.any(Number) }]);
    const joinedAt = Date.now();
    const b = registry(storage.leases, 'b');
    await b.ready();
    expect(b.r.senders('telegram')).toBe(2);
    // B keeps off until A has had a heartbeat to count it.
    expect(b.changes[0]!.notBefore).toBeGreaterThanOrEqual(joinedAt + HEARTBEAT);
    await sleep(HEARTBEAT * 1.5);
    expect(a.r.senders('telegram')).toBe(2);
    expect(a.changes.at(-1)!.at).toBeLessThanOrEqual(b.changes[0]!.notBefore);
    // B runs out of work: after a few heartbeats idle its share goes back to A.
    b.state.busy = false;
    await sleep(HEARTBEAT * 3);
    expect(a.r.senders('telegram')).toBe(2);
    await sleep(HEARTBEAT * 6);
    expect(a.r.senders('telegram')).toBe(1);
    expect(b.r.ready('telegram')).toBe(false);
    // Work again: it joins as a newcomer and waits a heartbeat.
    b.state.busy = true;
    await b.ready();
    expect(b.changes.at(-1)!.notBefore).toBeGreaterThan(Date.now());
    await b.r.stop();
    await sleep(HEARTBEAT * 1.5);
    expect(a.r.senders('telegram')).toBe(1);
    await a.r.stop();
    expect(await storage.leases.holders(senderPrefix('telegram'))).toEqual([]);
    await storage.close();
  });

  it('counts a dead process until its lease runs out', async () => {
    const storage = openMemoryStorage();
    // A process that died a moment ago: its lease is there, nobody renews it.
    await storage.leases.acquire(`${senderPrefix('telegram')}dead`, 'dead', HEARTBEAT * 4);
    const a = registry(storage.leases, 'a');
    await a.ready();
    expect(a.r.senders('telegram')).toBe(2);
    expect(a.changes[0]!.notBefore).toBeGreaterThan(0);
    await sleep(HEARTBEAT * 2);
    expect(a.r.senders('telegram')).toBe(2);
    await sleep(HEARTBEAT * 4);
    expect(a.r.senders('telegram')).toBe(1);
    await a.r.stop();
    await storage.close();
  });
});

describe('the shares never add up to more than the limit', () => {
  // A simulated cluster on fake timers: each process sends at limit / its count whenever the
  // registry lets it (ready, and past the notBefore it was given), as the worker's pacer does.
  const LIMIT = 30;
  const BEAT = 100;

  interface Member {
    readonly owner: string;
    registry: SenderRegistry;
    busy: boolean;
    /** Sending stopped (before the registry is stopped, as the worker does). */
    gone: boolean;
    share: number;
    notBefore: number;
    /** How long each lease query of this process waits, at a given time, before it runs and again before its answer is read. */
    slow: (now: number) => number;
  }

  function delayed(leases: SenderLeases, member: () => Member | undefined): SenderLeases {
    // Queued before the statement runs and again before the answer is read, like a busy pool.
    const lag = () => new Promise((resolve) => setTimeout(resolve, member()?.slow(Date.now()) ?? 0));
    return {
      acquire: async (key, owner, ttl) => (await lag(), await leases.acquire(key, owner, ttl).finally(lag)),
      renew: async (key, owner, ttl) => (await lag(), await leases.renew(key, owner, ttl).finally(lag)),
      release: async (key, owner) => (await lag(), await leases.release(key, owner).finally(lag)),
      holders: async (prefix) => (await lag(), await leases.holders(prefix).finally(lag)),
    };
  }

  function join(leases: SenderLeases, owner: string, slow: Member['slow'] = () => 0): Member {
    // The registry's callbacks run only after `self` below exists.
    const registry = startSenderRegistry({
      leases: delayed(leases, () => self),
      owner,
      platforms: ['telegram'],
      logger: silentLogger,
      leaseMs: BEAT * 5,
      heartbeatMs: BEAT,
      busy: () => self.busy,
      onChange(_platform, senders, notBefore) {
        self.share = LIMIT / senders;
        self.notBefore = Math.max(self.notBefore, notBefore);
      },
    });
    const self: Member = { owner, registry, busy: true, gone: false, share: LIMIT, notBefore: 0, slow };
    return self;
  }

  function rate(m: Member, now: number): number {
    if (m.gone || !m.busy) return 0;
    return m.registry.ready('telegram') && now >= m.notBefore ? m.share : 0;
  }

  it('while processes join, leave, go idle and come back, and their heartbeats run late', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const storage = openMemoryStorage('', { clock: () => Date.now() });
      const members: Member[] = [];
      const stopping: Promise<void>[] = [];
      // What happens when, in fake ms.
      const script = new Map<number, () => void>([
        [0, () => void members.push(join(storage.leases, 'a', (now) => (now >= 900 && now < 2_200 ? BEAT * 0.8 : 0)))],
        [1_000, () => void members.push(join(storage.leases, 'b'))],
        [2_500, () => void members.push(join(storage.leases, 'c', (now) => (now >= 4_000 && now < 5_500 ? BEAT * 3 : 2)))],
        [3_500, () => {
          const b = members.find((m) => m.owner === 'b')!;
          b.gone = true;
          // Not awaited: it waits for a heartbeat in flight, which waits for the fake clock.
          stopping.push(b.registry.stop());
        }],
        [6_000, () => void (members.find((m) => m.owner === 'a')!.busy = false)],
        [7_500, () => void (members.find((m) => m.owner === 'a')!.busy = true)],
        [8_000, () => void members.push(join(storage.leases, 'd', () => BEAT * 0.3))],
      ]);
      let most = 0;
      let sent = 0;
      const END = 10_000;
      const STEP = 1;
      for (let now = 0; now < END; now += STEP) {
        script.get(now)?.();
        const total = members.reduce((sum, m) => sum + rate(m, now), 0);
        most = Math.max(most, total);
        sent += (total * STEP) / 1_000;
        await vi.advanceTimersByTimeAsync(STEP);
      }
      expect(most).toBeLessThanOrEqual(LIMIT + 1e-9);
      // Not safe by never sending: the pauses for late counts and for newcomers cost a fraction.
      expect(sent / ((LIMIT * END) / 1_000)).toBeGreaterThan(0.7);
      for (const m of members) if (!m.gone) stopping.push(m.registry.stop());
      const stopped = Promise.all(stopping);
      await vi.advanceTimersByTimeAsync(BEAT * 10);
      await stopped;
      expect(await storage.leases.holders(senderPrefix('telegram'))).toEqual([]);
      await storage.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
