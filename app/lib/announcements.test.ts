import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announceChecks as announce, announceProgress, announceStatus, type ResultLike } from './announcements';

const steps = [{ id: 'a', title: 'First' }, { id: 'b', title: 'Second' }];
const idle: ResultLike = { passed: false, message: '', checking: false, checked: false };
const checking: ResultLike = { ...idle, checking: true };
const all = new Set(['a', 'b']);
const announceChecks = (s: typeof steps, b: Record<string, ResultLike>, a: Record<string, ResultLike>) => announce(s, b, a, all);

test('a failed check is announced with its hint, and no progress', () => {
  const said = announceChecks(steps, { a: checking, b: idle }, { a: { ...idle, checked: true, message: 'No ~/notes yet.' }, b: idle });
  assert.equal(said, 'Step 1, First: not yet. No ~/notes yet.');
});

test('a failed check without words still says it failed', () => {
  assert.equal(announceChecks(steps, { a: checking }, { a: { ...idle, checked: true } }), 'Step 1, First: not yet. The check did not pass.');
});

test('a pass is announced with the progress it makes', () => {
  const said = announceChecks(steps, { a: checking, b: idle }, { a: { ...idle, checked: true, passed: true }, b: idle });
  assert.equal(said, 'Step 1, First: passed. 1 of 2 steps done.');
});

test('the last pass says all steps are done', () => {
  const passed = { ...idle, checked: true, passed: true };
  assert.equal(announceChecks(steps, { a: passed, b: checking }, { a: passed, b: passed }), 'Step 2, Second: passed. All 2 steps done.');
});

test('a pass that arrives without a click (auto check, reload) is announced once', () => {
  const passed = { ...idle, checked: true, passed: true };
  assert.equal(announceChecks(steps, { b: idle }, { b: passed }), 'Step 2, Second: passed. 1 of 2 steps done.');
  assert.equal(announceChecks(steps, { b: passed }, { b: passed }), null);
});

test('nothing finished: nothing said', () => {
  assert.equal(announceChecks(steps, { a: idle }, { a: checking }), null);
  assert.equal(announceChecks(steps, {}, {}), null);
});

test('status changes worth saying', () => {
  assert.equal(announceStatus(null, 'starting'), 'Starting the lab.');
  assert.equal(announceStatus('starting', 'ready'), 'The lab is ready: its terminals are open.');
  assert.equal(announceStatus('starting', 'failed', 'image missing'), 'The lab could not start. image missing');
  assert.equal(announceStatus('ready', null), 'The session has ended.');
  assert.equal(announceStatus('ready', 'ready'), null);
  assert.equal(announceStatus(null, null), null);
});

test('a background check that fails is not read out; one the learner asked for is, and so is a pass', () => {
  const failed = { ...idle, checked: true, message: 'Waiting.' };
  assert.equal(announce(steps, { b: checking }, { b: failed }, new Set()), null);
  assert.equal(announce(steps, { b: checking }, { b: failed }, new Set(['b'])), 'Step 2, Second: not yet. Waiting.');
  assert.equal(announce(steps, { b: checking }, { b: { ...failed, passed: true } }, new Set()), 'Step 2, Second: passed. 1 of 2 steps done.');
});

test('start-up stages are read as they finish or fail, once', () => {
  const pending = [{ stage: 'network', state: 'running' }, { stage: 'node node1', state: 'pending' }];
  assert.equal(announceProgress([], pending), null);
  const net = [{ stage: 'network', state: 'done' }, { stage: 'node node1', state: 'running' }];
  assert.equal(announceProgress(pending, net), 'network ready.');
  assert.equal(announceProgress(net, net), null);
  const failed = [{ stage: 'network', state: 'done' }, { stage: 'node node1', state: 'failed', error: 'image missing' }];
  assert.equal(announceProgress(net, failed), 'node node1 failed: image missing.');
});
