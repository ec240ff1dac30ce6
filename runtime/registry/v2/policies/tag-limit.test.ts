import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tagsToPrune } from './tag-limit';

const tags = (...names: string[]) => names.map((name) => ({ name }));

test('first in, first out; the tag just written is never pruned; no limit prunes nothing', () => {
  assert.deepEqual(tagsToPrune(tags('a', 'b', 'c'), 2, 'c'), ['a']);
  assert.deepEqual(tagsToPrune(tags('a', 'b', 'c', 'd'), 2, 'a'), ['b', 'c'], 'rewriting the oldest keeps it');
  assert.deepEqual(tagsToPrune(tags('a', 'b'), 2, 'b'), []);
  assert.deepEqual(tagsToPrune(tags('a', 'b', 'c'), 0, 'c'), []);
  assert.deepEqual(tagsToPrune(tags('a', 'b', 'c'), undefined, 'c'), []);
});
