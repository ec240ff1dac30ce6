/**
 * A fresh database for one test, on the database the suite runs against:
 * SQLite by default, PostgreSQL when LABDOCK_TEST_DATABASE=postgresql (npm test
 * runs the workshop, database and auth suites that way a second time, against
 * LABDOCK_TEST_POSTGRES_URL). Each PostgreSQL test database is created here
 * and dropped after the test, failed or not; npm test drops any a crashed run
 * left (their names start with LABDOCK_TEST_DB_PREFIX).
 *
 *   const db = await openTestDatabase(t, dir);           // migrated, closed and dropped after the test
 *   const { url, drop } = await createTestDatabase(dir);  // when the test orders its own cleanup
 */
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type Provider } from './open-database';

export const testProvider: Provider = process.env.LABDOCK_TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';

/** The server tests create databases on: a superuser's (or CREATEDB role's) URL. */
export function adminPostgresUrl(): string | undefined {
  return process.env.LABDOCK_TEST_POSTGRES_URL || undefined;
}

export function testDatabasePrefix(): string {
  return (process.env.LABDOCK_TEST_DB_PREFIX || 'labdock_test').toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

export interface TestDatabase {
  url: string;
  provider: Provider;
  /** Removes the database (PostgreSQL: DROP DATABASE … WITH (FORCE)); SQLite files go with the test's directory. */
  drop(): Promise<void>;
}

export async function createTestDatabase(dir: string, provider: Provider = testProvider): Promise<TestDatabase> {
  if (provider === 'sqlite') return { url: `file:${path.join(dir, 'db.sqlite')}`, provider, drop: async () => undefined };
  const admin = adminPostgresUrl();
  if (!admin) throw new Error('LABDOCK_TEST_DATABASE=postgresql needs LABDOCK_TEST_POSTGRES_URL=postgresql://user@host:port/postgres (a role that may create databases)');
  const name = `${testDatabasePrefix()}_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), provider, drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export async function openTestDatabase(t: TestContext, dir: string, provider: Provider = testProvider): Promise<Db> {
  const database = await createTestDatabase(dir, provider);
  let db: Db;
  try {
    db = await openDatabase(database.url);
  } catch (err) {
    await database.drop();
    throw err;
  }
  t.after(async () => {
    await db.$disconnect();
    await database.drop();
  });
  return db;
}

/** Drops every database whose name starts with prefix (what a killed run left); returns their names. */
export async function dropTestDatabases(admin: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const names = (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])).rows.map((r) => r.datname);
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return names;
  } finally {
    await client.end();
  }
}

async function adminQuery(admin: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
