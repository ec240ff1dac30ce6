/**
 * One data model, two databases: prisma/schema.prisma is the only place the
 * model is written; each dialect has its own migrations under the same names
 * (prisma/migrations, prisma/migrations-postgresql). These tests fail when
 * the two drift apart, or when the schema gains a model or field that a
 * migration does not create.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Prisma } from '../../generated/prisma/client';
import { listMigrations, MIGRATIONS } from '../../prisma/list-migrations';
import { migratePostgres, migrateSqlite } from '../../prisma/migrate';
import { describePostgres, describeSqlite, schemaDifferences, type SchemaDescription } from './describe-schema';
import { adminPostgresUrl, createTestDatabase } from './test-database';

const needsPostgres = adminPostgresUrl() ? false : 'no PostgreSQL to compare with: set LABDOCK_TEST_POSTGRES_URL (CI always does)';

function tempDir(t: import('node:test').TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-drift-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sqliteSchema(dir: string): SchemaDescription {
  const file = path.join(dir, 'drift.db');
  migrateSqlite(file);
  return describeSqlite(file);
}

async function postgresSchema(t: import('node:test').TestContext, dir: string, migrationsDir = MIGRATIONS.postgresql): Promise<SchemaDescription> {
  const database = await createTestDatabase(dir, 'postgresql');
  t.after(() => database.drop());
  await migratePostgres(database.url, migrationsDir);
  return describePostgres(database.url);
}

test('each dialect has the same migrations, by name, and its own provider lock', () => {
  const sqlite = listMigrations(MIGRATIONS.sqlite).map((m) => m.name);
  const postgres = listMigrations(MIGRATIONS.postgresql).map((m) => m.name);
  assert.ok(sqlite.length > 0);
  assert.deepEqual(postgres, sqlite, 'every migration is written for both databases: add prisma/migrations-postgresql/<same name>/migration.sql (README: "Adding a migration")');
  assert.match(readFileSync(path.join(MIGRATIONS.sqlite, 'migration_lock.toml'), 'utf8'), /provider = "sqlite"/);
  assert.match(readFileSync(path.join(MIGRATIONS.postgresql, 'migration_lock.toml'), 'utf8'), /provider = "postgresql"/);
});

test('the SQLite migrations create exactly the Prisma schema\'s models and fields', (t) => {
  const db = sqliteSchema(tempDir(t));
  const models = Object.values(Prisma.ModelName).sort();
  assert.deepEqual(Object.keys(db).sort(), models, 'one table per model');
  for (const model of models) {
    const fields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]).sort();
    assert.deepEqual(Object.keys(db[model].columns).sort(), fields, `${model}: one column per scalar field`);
    for (const [name, col] of Object.entries(db[model].columns)) assert.doesNotMatch(col.type, /unknown/, `${model}.${name} has a type both databases share`);
  }
});

test('the PostgreSQL migrations create the same schema as the SQLite ones: tables, columns, types, defaults, keys, indexes', { skip: needsPostgres }, async (t) => {
  const dir = tempDir(t);
  const differences = schemaDifferences(sqliteSchema(dir), await postgresSchema(t, dir), ['SQLite', 'PostgreSQL']);
  assert.deepEqual(differences, [], `the two migration sets drifted:\n  ${differences.join('\n  ')}`);
});

test('a migration written for one database only is caught, and named', { skip: needsPostgres }, async (t) => {
  const dir = tempDir(t);
  const migrations = path.join(dir, 'pg-migrations');
  cpSync(MIGRATIONS.postgresql, migrations, { recursive: true });
  mkdirSync(path.join(migrations, '29990101000000_one_sided'));
  writeFileSync(path.join(migrations, '29990101000000_one_sided', 'migration.sql'), 'ALTER TABLE "Session" ADD COLUMN "oneSidedAt" TIMESTAMP(3);\nCREATE INDEX "Session_oneSidedAt_idx" ON "Session"("oneSidedAt");\n');
  const differences = schemaDifferences(sqliteSchema(dir), await postgresSchema(t, dir, migrations), ['SQLite', 'PostgreSQL']);
  assert.deepEqual(differences, ['Session.oneSidedAt: only in PostgreSQL', 'Session indexes: Session_oneSidedAt_idx: oneSidedAt only in PostgreSQL']);
});
