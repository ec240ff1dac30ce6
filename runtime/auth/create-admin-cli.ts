/**
 * `npm run admin:create -- --email ada@example.org [--role instructor] [--name Ada]`
 * Creates an account in the configured database (LABDOCK_* config, as the
 * server reads it). The password comes from LABDOCK_ADMIN_PASSWORD or, when
 * that is unset, from the first line of stdin — never from argv, which other
 * users of the host can read in the process list.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open-database';
import { createAuth } from './create-auth';
import { authSecret } from './auth-secret';
import { createAccount } from './ensure-admin';

async function readPassword(): Promise<string> {
  if (process.env.LABDOCK_ADMIN_PASSWORD) return process.env.LABDOCK_ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password (at least 12 characters): ');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new Error('no password given: set LABDOCK_ADMIN_PASSWORD or type it on stdin');
}

async function main() {
  const { values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string', default: 'admin' }, name: { type: 'string' } } });
  if (!values.email) throw new Error('usage: npm run admin:create -- --email you@example.org [--role admin|instructor] [--name Name]');
  if (values.role !== 'admin' && values.role !== 'instructor') throw new Error('--role is admin or instructor');
  const config = loadConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase(config.databaseUrl);
  try {
    // The CLI answers no browser: no origin is trusted.
    const auth = createAuth({ db, secret: authSecret(config), config, publicOrigins: [] });
    const made = await createAccount(auth, { email: values.email, password: await readPassword(), role: values.role, name: values.name });
    console.log(`created ${values.role} ${made.email}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(`admin:create: ${(err as Error).message}`);
  process.exit(1);
});
