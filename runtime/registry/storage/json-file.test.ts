import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openJsonStore } from './json-file';

const dir = mkdtempSync(path.join(tmpdir(), 'json-store-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a store parses once per change of the file, and sees a file replaced from outside', () => {
  const file = path.join(dir, 'a.json');
  const store = openJsonStore<{ n: number; extra?: string }>(file, () => ({ n: 0, extra: 'default' }), { merge: true });
  assert.deepEqual(store.read(), { n: 0, extra: 'default' }, 'a missing file is the fresh contents');
  store.update((d) => void (d.n = 1));
  const first = store.read();
  assert.equal(store.read(), first, 'unchanged file: the same parsed object, not a new parse');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { n: 1, extra: 'default' });
  writeFileSync(file, JSON.stringify({ n: 7 }) + ' '.repeat(20)); // another size: another key
  assert.deepEqual(store.read(), { n: 7, extra: 'default' }, 'replaced from outside, older fields filled in');
});

test('a change works on a copy: one that throws writes nothing and leaves the cached contents alone', () => {
  const file = path.join(dir, 'b.json');
  const store = openJsonStore<string[]>(file, () => [], { mode: 0o600 });
  store.update((list) => void list.push('a'));
  const before = store.read();
  assert.throws(() => store.update((list) => {
    list.push('b');
    throw new Error('changed my mind');
  }), /changed my mind/);
  assert.deepEqual(store.read(), ['a']);
  assert.equal(store.read(), before);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), ['a']);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});
