import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedOutput } from './bounded-output';

test('keeps everything under the limit', () => {
  const o = new BoundedOutput(100);
  o.push(Buffer.from('a\n'));
  o.push(Buffer.from('b\n'));
  assert.equal(o.text(), 'a\nb\n');
});

test('keeps the end and says how much was dropped', () => {
  const o = new BoundedOutput(10);
  o.push(Buffer.from('0123456789'));
  o.push(Buffer.from('last line\n'));
  assert.equal(o.text(), '[… 10 earlier bytes not kept]\nlast line\n');
});
