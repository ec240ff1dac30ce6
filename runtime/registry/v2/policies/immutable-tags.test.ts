import { test } from 'node:test';
import assert from 'node:assert/strict';
import { immutableTagProblem } from './immutable-tags';

test('an existing tag of an immutable repository cannot be written; new tags and mutable repositories can', () => {
  assert.equal(immutableTagProblem('admin/a', '1', { immutableTags: true }, 'sha256:x'), 'tag=1 cannot be overwritten because admin/a is an immutable repository');
  assert.equal(immutableTagProblem('admin/a', '1', { immutableTags: true }, null), null);
  assert.equal(immutableTagProblem('admin/a', '1', { immutableTags: false }, 'sha256:x'), null);
  assert.equal(immutableTagProblem('admin/a', '1', undefined, 'sha256:x'), null);
});
