import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconnectDelay, isFinalClose } from './reconnect';
import { formatRemaining } from './countdown';
import { AckCounter } from './ack-counter';

test('reconnect backs off from 0.5 s to 8 s with bounded jitter', () => {
  assert.equal(reconnectDelay(0, () => 0.5), 500);
  assert.equal(reconnectDelay(3, () => 0.5), 4000);
  assert.equal(reconnectDelay(10, () => 0.5), 8000);
  assert.equal(reconnectDelay(10, () => 0), 6000);
  assert.equal(reconnectDelay(10, () => 1), 10000);
  assert.ok(isFinalClose(4401) && isFinalClose(4000) && !isFinalClose(1006) && !isFinalClose(1013));
});

test('countdown formats hours, minutes, seconds and never goes negative', () => {
  assert.equal(formatRemaining(3909_000, 0), '1:05:09');
  assert.equal(formatRemaining(242_000, 0), '4:02');
  assert.equal(formatRemaining(0, 5000), '0:00');
});

test('ack counter acknowledges in batches and resets', () => {
  const a = new AckCounter(100);
  assert.equal(a.rendered(60), 0);
  assert.equal(a.rendered(60), 120);
  assert.equal(a.rendered(99), 0);
  a.reset();
  assert.equal(a.rendered(99), 0);
});
