/**
 * The host-space promise of session disks (session-disk.ts), on real loop
 * mounts: a live session holds its whole budget, a paused (parked) one only
 * what it has written, and resuming holds the budget again or is refused.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statfsSync } from 'node:fs';
import { HostDiskFullError, sessionDisks } from './session-disk';

const root = process.getuid?.() === 0;
if (process.env.LABDOCK_REQUIRE_DOCKER === '1' && !root) throw new Error('LABDOCK_REQUIRE_DOCKER=1 but session disks need root (loop mounts)');
const skip = root ? undefined : 'session disks need root (loop mounts)';

const GiB = 1024 ** 3;
const dir = `/var/lib/labdock/disks/test-park-${process.pid}`;
const made: string[] = [];

after(async () => {
  const disks = sessionDisks({ dir, budgetBytes: GiB, owner: null });
  for (const id of made) await disks.remove(id).catch((e: Error) => console.error(`cleanup ${id}: ${e.message}`));
  rmSync(dir, { recursive: true, force: true });
});

test('a paused session holds only what it wrote; resuming holds its budget again, or is refused while the host cannot', { skip }, async () => {
  const free = () => { const s = statfsSync('/var/lib/labdock'); return s.bavail * s.bsize; };
  // A reserve that leaves room beside it for one 1 GiB budget, not two (half a GiB of slack for other writers).
  const disks = sessionDisks({ dir, budgetBytes: GiB, owner: null, hostReserveBytes: free() - 1.5 * GiB });
  made.push('a', 'b');
  await disks.prepare('a');
  await assert.rejects(disks.prepare('b'), HostDiskFullError, 'a live session holds its whole budget');

  await disks.park('a');
  await disks.prepare('b');
  assert.deepEqual((await disks.list()).sort(), ['a', 'b']);
  await assert.rejects(disks.unpark('a'), HostDiskFullError, 'b now holds the room a had');
  // Refused resumes leave the session paused: still parked, so b's promise stands and a's is not counted.
  await disks.remove('b');
  await disks.unpark('a');
  await disks.prepare('b').then(() => assert.fail('a holds its budget again after unpark'), (e: Error) => assert.ok(e instanceof HostDiskFullError, e.message));
  assert.deepEqual(await disks.list(), ['a']);
});
