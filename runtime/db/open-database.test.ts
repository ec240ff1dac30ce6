import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databaseProvider, openDatabase } from './open-database';
import { migrate, migratePostgres } from '../../prisma/migrate';
import { MIGRATIONS } from '../../prisma/list-migrations';
import { adminPostgresUrl, createTestDatabase, openTestDatabase, testProvider } from './test-database';

const needsPostgres = adminPostgresUrl() ? false : 'no PostgreSQL: set LABDOCK_TEST_POSTGRES_URL (CI always does)';

/** Runs queries on url over one connection, closed before the test's databases are dropped. */
async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function tempDir(t: import('node:test').TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test(`migrates a new database and round-trips a session with nodes and progress (${testProvider})`, async (t) => {
  const dir = tempDir(t);
  const database = await createTestDatabase(dir);
  t.after(() => database.drop());
  const db = await openDatabase(database.url);
  t.after(() => db.$disconnect());
  assert.equal(databaseProvider(db), testProvider);
  // Milliseconds survive the round trip on both (PostgreSQL: timestamp(3)).
  const expiresAt = new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 123));
  await db.session.create({
    data: {
      id: 's1', labId: 'intro', tokenHash: 'h', provisioner: 'local', status: 'ready', expiresAt,
      nodes: { create: [{ name: 'node1', hostname: 'node1', ref: '123' }] },
      steps: { create: [{ stepId: 'a', passed: true, message: 'ok' }] },
    },
  });
  const back = await db.session.findUnique({ where: { id: 's1' }, include: { nodes: true, steps: true } });
  assert.equal(back?.nodes[0].hostname, 'node1');
  assert.equal(back?.steps[0].passed, true);
  assert.equal(back?.expiresAt.toISOString(), '2026-11-30T12:00:00.123Z');
  // Equality on text is case-sensitive on both: a lab id never matches another's by case.
  assert.equal(await db.session.count({ where: { labId: 'INTRO' } }), 0);
  // Deleting a session cascades to its rows.
  await db.session.delete({ where: { id: 's1' } });
  assert.equal(await db.node.count(), 0);
  // Running the migrator again is a no-op.
  assert.deepEqual(await migrate(database.url), []);
});

test('a database URL that is neither SQLite nor PostgreSQL is refused with what to write instead', async () => {
  await assert.rejects(openDatabase('mysql://root:secret@db/labdock'), (err: Error) => {
    assert.match(err.message, /use file:\/path\/to\/labdock\.db \(SQLite\) or postgresql:\/\//);
    assert.doesNotMatch(err.message, /secret/, 'the password is not printed');
    return true;
  });
});

test('an unreachable PostgreSQL server is named, with what to do (and no password)', async () => {
  // Port 1 on loopback: nothing listens there.
  await assert.rejects(openDatabase('postgresql://labdock:hunter2@127.0.0.1:1/labdock'), (err: Error) => {
    assert.match(err.message, /cannot use PostgreSQL at postgresql:\/\/labdock:\*\*\*@127\.0\.0\.1:1\/labdock/);
    assert.match(err.message, /start PostgreSQL, or fix the host and port/);
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
});

test('a PostgreSQL database that does not exist is named, with how to create it', { skip: needsPostgres }, async () => {
  const url = new URL(adminPostgresUrl()!);
  url.pathname = '/labdock_no_such_database';
  await assert.rejects(openDatabase(url.toString()), /that database does not exist: create it/);
});

test('PostgreSQL: servers starting at once apply each migration once (Prisma\'s advisory lock)', { skip: needsPostgres }, async (t) => {
  const database = await createTestDatabase(tempDir(t), 'postgresql');
  t.after(() => database.drop());
  const runs = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(database.url)));
  assert.equal(runs.flat().length, runs.find((r) => r.length)!.length, 'one run applied them all, the others found nothing to do');
  const rows = await withClient(database.url, async (c) => (await c.query('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name')).rows);
  assert.equal(rows.length, runs.flat().length);
  assert.ok(rows.every((r) => r.finished_at instanceof Date && /^[0-9a-f]{64}$/.test(r.checksum)));
});

test('PostgreSQL: a failing migration leaves nothing behind, and a changed one is refused', { skip: needsPostgres }, async (t) => {
  const dir = tempDir(t);
  const database = await createTestDatabase(dir, 'postgresql');
  t.after(() => database.drop());
  const migrations = path.join(dir, 'migrations');
  cpSync(MIGRATIONS.postgresql, migrations, { recursive: true });
  mkdirSync(path.join(migrations, '29990101000000_broken'));
  writeFileSync(path.join(migrations, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" TEXT);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n');
  await assert.rejects(migratePostgres(database.url, migrations), /migration 29990101000000_broken failed: relation "Nope" does not exist/);
  await withClient(database.url, async (c) => {
    assert.equal((await c.query(`SELECT to_regclass('"Half"') AS t`)).rows[0].t, null, 'the first statement was rolled back with the second');
    assert.equal((await c.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`)).rows[0].n, 0);
  });
  writeFileSync(path.join(migrations, '20261122120000_init', 'migration.sql'), '-- edited\n');
  rmSync(path.join(migrations, '29990101000000_broken'), { recursive: true });
  await assert.rejects(migratePostgres(database.url, migrations), /20261122120000_init was changed after it was applied/);
});

test('openTestDatabase gives each test a database of its own, dropped afterwards', { skip: needsPostgres }, async (t) => {
  const list = () => withClient(adminPostgresUrl()!, async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((r) => r.datname));
  const before = await list();
  let name = '';
  await t.test('inner', async (inner) => {
    const db = await openTestDatabase(inner, tempDir(t), 'postgresql');
    name = ((await db.$queryRawUnsafe('SELECT current_database() AS d')) as { d: string }[])[0].d;
    assert.ok(!before.includes(name));
  });
  assert.ok(!(await list()).includes(name), `${name} was dropped`);
});
