/**
 * Opens labdock's Prisma client after bringing the schema up to date with our
 * migrator: SQLite (`file:…`, the embedded default) through the better-sqlite3
 * driver adapter, PostgreSQL (`postgresql://…`) through the pg adapter.
 *
 *   const prisma = await openDatabase('file:/srv/labdock/var/labdock.db');
 *   const prisma = await openDatabase('postgresql://labdock:pw@db:5432/labdock');
 *   databaseProvider(prisma)  // 'sqlite' | 'postgresql'
 *
 * Both clients are generated from the one prisma/schema.prisma
 * (scripts/prisma-generate.mjs). Prisma types each client for its provider;
 * labdock is written to what both share, so the PostgreSQL client is handed
 * out under the SQLite client's type (`Db`). The shared suites run on both.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '../../generated/prisma-postgresql/client';
import { migratePostgres, migrateSqlite, providerOf, redact, type Provider } from '../../prisma/migrate';

export type Db = PrismaClient;
export type { Provider };

// Which database each client speaks (better-auth's adapter and tests ask); keyed by the client, so it goes with it.
const providers = new WeakMap<object, Provider>();

export function databaseProvider(db: Db): Provider {
  return providers.get(db) ?? 'sqlite';
}

export class DatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export async function openDatabase(databaseUrl: string): Promise<Db> {
  const provider = providerOf(databaseUrl);
  if (provider === 'sqlite') {
    const file = databaseUrl.slice('file:'.length);
    migrateSqlite(file);
    const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file }) });
    await prisma.$connect();
    providers.set(prisma, provider);
    return prisma;
  }
  try {
    await migratePostgres(databaseUrl);
  } catch (err) {
    throw explainPostgresError(err, databaseUrl);
  }
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) }) as unknown as Db;
  await prisma.$connect();
  providers.set(prisma, provider);
  return prisma;
}

/** pg's errors say what failed, not what to do about it: say both. */
export function explainPostgresError(err: unknown, url: string): Error {
  const e = err as { code?: string; message?: string };
  const where = redact(url);
  const why = e.message ?? String(err);
  const hint = {
    ECONNREFUSED: 'nothing listens there: start PostgreSQL, or fix the host and port in the URL',
    ENOTFOUND: 'that host name does not resolve: fix the host in the URL',
    ETIMEDOUT: 'the server does not answer: check the host, port and firewall',
    EHOSTUNREACH: 'the host is unreachable: check the host in the URL',
    '28P01': 'the password was refused: fix the user and password in the URL',
    '28000': 'the server refused this user (pg_hba.conf, or no such role): create the role or fix the URL',
    '3D000': 'that database does not exist: create it (createdb -O <user> <name>) or fix the name in the URL',
    '42501': 'the user may not create tables there: grant it CREATE on the database (or make it the owner)',
  }[e.code ?? ''];
  if (!hint) return err instanceof Error ? new DatabaseError(`PostgreSQL at ${where}: ${why}`) : new DatabaseError(String(err));
  return new DatabaseError(`cannot use PostgreSQL at ${where}: ${why} — ${hint} (the database is set by DATABASE_URL or LABDOCK_DATABASE_URL)`);
}
