/**
 * The migrations of one dialect, in order, with Prisma's checksum (sha256 of
 * migration.sql): both migrators keep Prisma's bookkeeping with it, so
 * `prisma migrate deploy` agrees with them wherever the schema engine exists.
 *
 *   listMigrations(MIGRATIONS.sqlite)  // [{ name: '20261122120000_init', sql, checksum }, …]
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** One folder per dialect, the same migration names in each (runtime/db/schema-drift.test.ts checks it). */
export const MIGRATIONS = {
  sqlite: path.join(here, 'migrations'),
  postgresql: path.join(here, 'migrations-postgresql'),
} as const;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export function changedAfterApplied(name: string): Error {
  return new Error(`migration ${name} was changed after it was applied (checksum differs): add a new migration instead`);
}
