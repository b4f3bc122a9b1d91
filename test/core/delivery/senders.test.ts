import { describe, expect, it } from 'vitest';
import { senderPrefix, startSenderRegistry, type SenderRegistry } from '../../../src/core/delivery/senders.js';
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
  it('a process alone sends at once at the full rate; one that joins others waits a heartbeat, and each counts both within one', async () => {
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
