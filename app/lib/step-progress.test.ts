import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampStep, firstOpenStep, progressLabel } from './step-progress';

const steps = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

test('the current step is the first not passed, or the last when all passed', () => {
  assert.equal(firstOpenStep(steps, () => false), 0);
  assert.equal(firstOpenStep(steps, (id) => id === 'a'), 1);
  assert.equal(firstOpenStep(steps, (id) => id !== 'b'), 1, 'a skipped step stays current');
  assert.equal(firstOpenStep(steps, () => true), 2);
  assert.equal(firstOpenStep([], () => false), 0);
});

test('labels and bounds', () => {
  assert.equal(progressLabel(2, 7), 'step 3 of 7');
  assert.equal(progressLabel(9, 7), 'step 7 of 7');
  assert.equal(progressLabel(0, 0), 'no steps');
  assert.equal(clampStep(-1, 3), 0);
  assert.equal(clampStep(5, 3), 2);
  assert.equal(clampStep(1, 0), 0);
});
