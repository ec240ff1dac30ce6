import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageSlug, testIds } from './test-ids';

test('stage names become dash-separated test ids', () => {
  assert.equal(testIds.progress('node manager1'), 'progress-node-manager1');
  assert.equal(testIds.progress('network'), 'progress-network');
  assert.equal(stageSlug('  Setup: step 2 '), 'setup-step-2');
});
