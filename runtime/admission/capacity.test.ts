import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCapacity, capacityFromConfig } from './capacity';
import { createClientLimits } from './client-limits';
import { sessionCost } from './session-cost';
import { loadConfig } from '../config/config';

const learner = { kind: 'learner' as const };

test('reserve books until memory, containers or the session ceiling is reached, then says why and when', () => {
  const cap = createCapacity({ totalMemoryMb: 4096, maxContainers: 10, maxSessions: 10, nextFreeInSeconds: () => 610 });
  const a = cap.reserve({ memoryMb: 2048, containers: 2 }, learner);
  const b = cap.reserve({ memoryMb: 2048, containers: 2 }, learner);
  assert.ok(a.ok && b.ok);
  const c = cap.reserve({ memoryMb: 1, containers: 0 }, learner);
  assert.equal(c.ok, false);
  assert.ok(!c.ok && c.retryAfterSeconds === 610 && /^labdock is full: about 10 minutes/.test(c.reason));
  assert.deepEqual(cap.snapshot(), { usedMemoryMb: 4096, totalMemoryMb: 4096, sessions: 2, containers: 4, maxContainers: 10 });
  a.release();
  a.release(); // idempotent: a double release must not free someone else's room
  assert.equal(cap.snapshot().usedMemoryMb, 2048);
  assert.ok(cap.reserve({ memoryMb: 2048, containers: 2 }, learner).ok);
  const slots = createCapacity({ totalMemoryMb: 1e6, maxContainers: 3, maxSessions: 10, nextFreeInSeconds: () => 5 });
  assert.ok(slots.reserve({ memoryMb: 1, containers: 3 }, learner).ok);
  const refused = slots.reserve({ memoryMb: 1, containers: 1 }, { kind: 'pool' });
  assert.ok(!refused.ok && /node slots/.test(refused.reason) && refused.retryAfterSeconds === 5);
});

test('restore never refuses (sessions that already run), and counts', () => {
  const cap = createCapacity({ totalMemoryMb: 100, maxContainers: 1, maxSessions: 1, nextFreeInSeconds: () => 1 });
  cap.restore({ memoryMb: 200, containers: 2 }, learner);
  assert.equal(cap.snapshot().usedMemoryMb, 200);
  assert.equal(cap.reserve({ memoryMb: 1, containers: 0 }, learner).ok, false);
});

test('defaults fit the host: memory minus the reserve; costs follow the lab', () => {
  const config = loadConfig({});
  const cap = capacityFromConfig(config, () => 60);
  assert.ok(cap.snapshot().totalMemoryMb > 0 && cap.snapshot().totalMemoryMb <= 24 * 1024 * 2);
  assert.equal(capacityFromConfig(loadConfig({ LABDOCK_ADMISSION_MEMORY_MB: '8192', LABDOCK_ADMISSION_MEMORY_OVERCOMMIT: '1.5' }), () => 1).snapshot().totalMemoryMb, 12288);
  const meta = { nodes: [{ name: 'a' }, { name: 'b' }], registry: true } as never;
  assert.deepEqual(sessionCost(meta, 'docker', config), { memoryMb: 3072, containers: 3 });
  assert.deepEqual(sessionCost(meta, 'local', config), { memoryMb: 384, containers: 0 });
});

test('client limits: live sessions per key, creations per minute, release frees the slot', async () => {
  const limits = createClientLimits({ liveSessionsPerClient: 2, creationsPerMinute: 3 });
  const a = await limits.admit(['addr:1', 'browser:x']);
  const b = await limits.admit(['addr:1', 'browser:y']);
  assert.ok(a.ok && b.ok);
  const c = await limits.admit(['addr:1', 'browser:z']);
  assert.ok(!c.ok && /2 sessions running/.test(c.reason));
  if (a.ok) a.release();
  // Third creation in the minute is allowed, the fourth is not (rate, not live count).
  const d = await limits.admit(['addr:1']);
  assert.ok(d.ok);
  if (d.ok) d.release();
  const e = await limits.admit(['addr:1']);
  assert.ok(!e.ok && /at most 3 a minute/.test(e.reason) && e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60);
  assert.equal(limits.liveCount('addr:1'), 1);
});

test('parallel admissions of one client never exceed its live limit', async () => {
  const limits = createClientLimits({ liveSessionsPerClient: 3, creationsPerMinute: 1000 });
  const results = await Promise.all(Array.from({ length: 20 }, () => limits.admit(['addr:9'])));
  assert.equal(results.filter((r) => r.ok).length, 3);
});
