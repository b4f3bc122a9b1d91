/**
 * A separate process for the SQLite spec "several processes claiming from one file": claims a few
 * deliveries at a time, marks them sent, and prints as JSON whether it got the one shared lease, the
 * ids it claimed, and those whose claim it found taken by another process when it came to settle them.
 */
import { existsSync } from 'node:fs';
import { openStorage } from '../../src/storage/index.js';

const [file, owner, go] = process.argv.slice(2);
const storage = await openStorage(`sqlite://${file}`);
// Start together with the others: a process that started first would otherwise claim everything.
process.stdout.write('ready\n');
while (!existsSync(go!)) await new Promise((resolve) => setTimeout(resolve, 5));
// Every process asks for the same lease at once; the file must grant it to one.
const leased = await storage.leases.acquire('singleton', owner!, 60_000);
const claimed: string[] = [];
const lost: string[] = [];
let idle = 0;
while (idle < 3) {
  const batch = await storage.outbox.claim({ owner: owner!, leaseMs: 60_000, limit: 5, platforms: ['telegram'] });
  if (batch.length === 0) {
    idle++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    continue;
  }
  idle = 0;
  for (const delivery of batch) {
    claimed.push(delivery.id);
    if (!(await storage.outbox.settle(delivery.id, owner!, { kind: 'sent' }))) lost.push(delivery.id);
  }
  // A batch's sends take time, which gives the other processes a turn at the lock; with no wait at
  // all, on a quiet machine the first process to see the go file could claim every delivery before
  // the others had looked for it.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await storage.close();
process.stdout.write(JSON.stringify({ leased, claimed, lost }));
