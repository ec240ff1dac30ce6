/**
 * Opens the Prisma client over SQLite through the better-sqlite3 driver adapter,
 * after bringing the schema up to date with our migrator.
 *
 *   const prisma = await openDatabase('file:/srv/labdock/var/labdock.db');
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client';
import { migrateDatabase } from '../../prisma/migrate';

export type Db = PrismaClient;

export async function openDatabase(databaseUrl: string): Promise<Db> {
  if (!databaseUrl.startsWith('file:')) throw new Error(`only SQLite (file:) databases are supported, got ${databaseUrl}`);
  const file = databaseUrl.slice('file:'.length);
  migrateDatabase(file);
  const adapter = new PrismaBetterSqlite3({ url: file });
  const prisma = new PrismaClient({ adapter });
  await prisma.$connect();
  return prisma;
}
