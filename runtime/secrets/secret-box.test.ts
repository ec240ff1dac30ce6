import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSecretBox, SecretBoxError, KEY_FILE } from './secret-box';

test('the key is made once, mode 0600, and seals values that only it opens', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-secret-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const box = openSecretBox(dir);
  const key = path.join(dir, KEY_FILE);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  const sealed = box.seal('hunter2-admin-password');
  assert.ok(box.isSealed(sealed));
  assert.doesNotMatch(sealed, /hunter2/);
  assert.notEqual(box.seal('hunter2-admin-password'), sealed, 'a fresh IV per value');
  // A second start reads the same key.
  assert.equal(openSecretBox(dir).open(sealed), 'hunter2-admin-password');
  assert.equal(box.open('{"legacy":"clear"}'), '{"legacy":"clear"}');
  // Altered ciphertext fails closed, and the error carries neither key nor plaintext.
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
  assert.throws(() => box.open(tampered), (e: unknown) => e instanceof SecretBoxError && !/hunter2/.test((e as Error).message));
  // A key copied in world-readable is tightened.
  chmodSync(key, 0o644);
  openSecretBox(dir);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  // Another data directory's key cannot open it.
  const other = mkdtempSync(path.join(tmpdir(), 'labdock-secret-'));
  t.after(() => rmSync(other, { recursive: true, force: true }));
  assert.throws(() => openSecretBox(other).open(sealed), SecretBoxError);
  writeFileSync(path.join(other, KEY_FILE), 'short');
  assert.throws(() => openSecretBox(other), /32-byte/);
  assert.ok(readFileSync(key, 'utf8').trim().length >= 43);
});
