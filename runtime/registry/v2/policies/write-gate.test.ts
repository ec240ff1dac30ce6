import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteGate } from '../../gc/write-gate';
import { writeGatePolicy } from './write-gate';
import { basic, pull, push, request } from './fixtures';

test('writes enter the gate and leave it when the exchange ends; closed, they are refused; reads pass', async () => {
  const gate = createWriteGate();
  const policy = writeGatePolicy(gate);
  const write = request('PUT', '/', push('orca/a'), basic('orca'));
  assert.equal(policy.decide(write), null);
  const closing = gate.close(2000, 10);
  assert.deepEqual(policy.decide(request('PUT', '/', push('orca/a'), basic('orca'))), { kind: 'error', status: 503, code: 'UNAVAILABLE', message: 'the registry is read-only while garbage collection runs: try again in a moment' });
  assert.equal(policy.decide(request('GET', '/', pull('orca/a'), basic('orca'))), null);
  write.finish(); // the write in flight ends: the collector may start
  await closing;
  gate.open();
  assert.equal(policy.decide(request('PATCH', '/', { kind: 'upload', repository: 'orca/a', action: 'push' }, basic('orca'))), null);
});
