import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hintFrom } from './run-scripts';

test('the hint is the last non-empty line, colours stripped', () => {
  assert.equal(hintFrom('checking...\n\x1b[31mhello.txt is missing\x1b[0m\n\n'), 'hello.txt is missing');
  assert.equal(hintFrom('a\r\nb\r\n'), 'b');
  assert.equal(hintFrom('\n  \n'), null);
  assert.equal(hintFrom('x'.repeat(600))?.length, 500);
});
