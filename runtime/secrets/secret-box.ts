/**
 * Secrets at rest: credentials the server must keep (a session registry's
 * admin password in the session's variables, the platform account's password)
 * are sealed with AES-256-GCM under a key generated on first start and kept in
 * the data directory, mode 0600. A copy of the database alone reveals nothing.
 *
 *   const box = openSecretBox('/srv/labdock/var');   // creates var/secret.key once
 *   const sealed = box.seal('s3cret');                // 'v1:…' (random IV each time)
 *   box.open(sealed)                                  // 's3cret'
 *   box.open('written in clear by an older labdock')  // returned as is (box.isSealed says which)
 *
 * open() throws SecretBoxError (never the plaintext or the key) when a value
 * was sealed with another key or altered.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export const KEY_FILE = 'secret.key';
const PREFIX = 'v1:';
/** AES-GCM's standard 96-bit nonce, random per value. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  seal(plaintext: string): string;
  open(value: string): string;
  isSealed(value: string): boolean;
}

export function openSecretBox(dataDir: string): SecretBox {
  return secretBox(loadOrCreateKey(dataDir));
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError('the secret key must be 32 bytes');
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(value) {
      if (!value.startsWith(PREFIX)) return value;
      const raw = Buffer.from(value.slice(PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('a sealed secret is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError(`a sealed secret does not open with ${KEY_FILE}: was the data directory's key replaced?`);
      }
    },
    isSealed: (value) => value.startsWith(PREFIX),
  };
}

/** Reads the key, or writes a new one with O_EXCL (two servers starting at once cannot both write). */
function loadOrCreateKey(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, KEY_FILE);
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('base64') + '\n');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Tighten a key someone copied in with a looser mode: only labdock's user may read it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SecretBoxError(`${file} does not hold a 32-byte base64 key`);
  return key;
}
