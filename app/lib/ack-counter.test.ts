import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AckCounter } from './ack-counter';

test('ack counter acknowledges in batches of at least `every` bytes', () => {
  const a = new AckCounter(100);
  assert.equal(a.rendered(60), 0);
  assert.equal(a.rendered(60), 120);
  assert.equal(a.rendered(99), 0);
  assert.equal(a.rendered(1), 100);
  assert.equal(a.rendered(250), 250, 'one big chunk is acknowledged whole');
});

test('reset forgets bytes of a closed connection', () => {
  const a = new AckCounter(100);
  a.rendered(99);
  a.reset();
  assert.equal(a.rendered(99), 0);
});
