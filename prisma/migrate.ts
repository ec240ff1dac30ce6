/**
 * Brings a database's schema up to date with our migrations, without Prisma's
 * schema engine (which cannot be downloaded on these machines): SQLite from
 * prisma/migrations, PostgreSQL from prisma/migrations-postgresql. Both keep
 * Prisma's `_prisma_migrations` bookkeeping, so `prisma migrate deploy` also
 * works wherever the engine exists.
 *
 *   await migrate('file:/srv/labdock/var/labdock.db');          // ['20261122120000_init', …] applied now
 *   await migrate('postgresql://labdock@db.example.org/labdock'); // [] when up to date
 *
 * `npm run db:migrate [url]` does the same from the command line.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateSqlite } from './migrate-sqlite';
import { migratePostgres } from './migrate-postgresql';

export { migrateSqlite } from './migrate-sqlite';
export { migratePostgres } from './migrate-postgresql';
/** Older name of migrateSqlite. */
export const migrateDatabase = migrateSqlite;

export type Provider = 'sqlite' | 'postgresql';

/** Which database a URL names: `file:` SQLite, `postgres(ql)://` PostgreSQL; anything else is refused. */
export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`unsupported database URL "${redact(url)}": use file:/path/to/labdock.db (SQLite) or postgresql://user:password@host:5432/dbname`);
}

export async function migrate(url: string): Promise<string[]> {
  return providerOf(url) === 'sqlite' ? migrateSqlite(url.slice('file:'.length)) : migratePostgres(url);
}

/** A URL fit for messages and logs: the password replaced. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const target = process.argv[2] ?? process.env.LABDOCK_DATABASE_URL ?? process.env.DATABASE_URL ?? `file:${path.resolve('var/labdock.db')}`;
  const url = /^[a-z]+:/.test(target) ? target : `file:${path.resolve(target)}`;
  const applied = await migrate(url);
  console.log(applied.length ? `applied ${applied.join(', ')} to ${redact(url)}` : `${redact(url)} is up to date`);
}
