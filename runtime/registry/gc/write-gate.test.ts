import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteGate } from './write-gate';

test('closing waits for writes in flight and a quiet moment; new writes are refused meanwhile', async () => {
  const gate = createWriteGate();
  assert.ok(gate.enter());
  let closed = false;
  const closing = gate.close(5000, 100).then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(gate.readOnly, true);
  assert.equal(gate.enter(), false, 'no new writes once closing');
  assert.equal(closed, false, 'still a write in flight');
  gate.leave();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(closed, false, 'waits for the quiet period after the last write');
  await closing;
  gate.open();
  assert.ok(gate.enter());
  gate.leave();
});

test('a write that never ends makes closing give up and reopen', async () => {
  const gate = createWriteGate();
  gate.enter();
  await assert.rejects(gate.close(200, 0), /writes did not stop within 0 s/);
  assert.equal(gate.readOnly, false);
});
