import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scrollback } from './scrollback';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

test('keeps everything under the limit, in order', () => {
  const s = new Scrollback(100);
  s.push(bytes('hello '));
  s.push(bytes('world'));
  assert.equal(text(s.snapshot()), 'hello world');
  assert.equal(s.length, 11);
});

test('drops the oldest bytes past the limit, splitting a chunk if needed', () => {
  const s = new Scrollback(8);
  s.push(bytes('abcdef'));
  s.push(bytes('ghij'));
  assert.equal(text(s.snapshot()), 'cdefghij');
  s.push(bytes('0123456789'));
  assert.equal(text(s.snapshot()), '23456789');
});
