import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKeyedLock, createKeyedLimit } from './session-lock';

test('operations on one key never overlap; other keys run alongside; failures release', async () => {
  const lock = createKeyedLock();
  const log: string[] = [];
  const op = (key: string, name: string, fail = false) => lock.run(key, async () => {
    log.push(`${name}+`);
    await sleep(20);
    log.push(`${name}-`);
    if (fail) throw new Error(name);
  });
  const results = await Promise.allSettled([op('s1', 'a', true), op('s1', 'b'), op('s2', 'c'), op('s1', 'd')]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  const s1 = log.filter((l) => /^[abd]/.test(l));
  assert.deepEqual(s1, ['a+', 'a-', 'b+', 'b-', 'd+', 'd-']);
  assert.ok(log.indexOf('c+') < log.indexOf('a-'), 'another session is not held up');
  assert.equal(lock.busy('s1'), false);
});

test('a keyed limit refuses past its count and frees on leave', () => {
  const limit = createKeyedLimit(2);
  const a = limit.tryEnter('s');
  const b = limit.tryEnter('s');
  assert.ok(a && b);
  assert.equal(limit.tryEnter('s'), null);
  assert.ok(limit.tryEnter('t'));
  a!();
  a!();
  assert.ok(limit.tryEnter('s'));
  assert.equal(limit.tryEnter('s'), null);
});
