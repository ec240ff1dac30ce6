import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFinalClose, reconnectDelay } from './reconnect-delay';

test('reconnect backs off from 0.5 s to 8 s with ±25 % jitter', () => {
  const middle = () => 0.5;
  assert.deepEqual([0, 1, 2, 3, 4, 5, 20].map((n) => reconnectDelay(n, middle)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
  assert.equal(reconnectDelay(10, () => 0), 6000);
  assert.equal(reconnectDelay(10, () => 1), 10000);
  assert.equal(reconnectDelay(-3, middle), 500, 'a negative attempt is treated as the first');
});

test('only auth, missing node, ended session and bad origin are final', () => {
  for (const code of [4401, 4404, 4000, 4403]) assert.ok(isFinalClose(code), `${code} is final`);
  for (const code of [1000, 1001, 1006, 1011, 1013, 4410]) assert.ok(!isFinalClose(code), `${code} reconnects`);
});
