/**
 * The key that signs instructors' cookies: from config, else made once and
 * kept beside the database (mode 600), so restarts keep everyone signed in.
 *
 *   const secret = authSecret(config);
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config';

export function authSecret(config: Pick<Config, 'auth' | 'dataDir'>): string {
  if (config.auth.secret) {
    if (config.auth.secret.length < 32) throw new Error('LABDOCK_AUTH_SECRET needs at least 32 characters');
    return config.auth.secret;
  }
  const file = path.join(config.dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
