/**
 * Applies prisma/migrations-postgresql/* to a PostgreSQL database, the way
 * `prisma migrate deploy` does, without its schema engine: Prisma's
 * `_prisma_migrations` table (same columns and checksums), Prisma's own
 * advisory lock (so two labdock servers starting at once, or one and
 * `prisma migrate deploy`, never apply a migration twice), and one
 * transaction per migration (PostgreSQL's DDL is transactional: a failing
 * migration leaves nothing behind).
 *
 *   const applied = await migratePostgres('postgresql://labdock@db/labdock');
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { changedAfterApplied, listMigrations, MIGRATIONS } from './list-migrations';

/** The key prisma-engines' migrate takes (`pg_advisory_lock(72707369)`). */
const PRISMA_MIGRATE_LOCK = 72707369;

export async function migratePostgres(url: string, migrationsDir: string = MIGRATIONS.postgresql): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const rows = (await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )).rows;
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const applied: string[] = [];
    for (const { name, sql, checksum } of listMigrations(migrationsDir)) {
      const seen = done.get(name);
      if (seen !== undefined) {
        if (seen !== checksum) throw changedAfterApplied(name);
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
          VALUES ($1, $2, now(), $3, 1, now())`, [randomUUID(), checksum, name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${name} failed: ${(err as Error).message}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    // Closing the connection also releases the advisory lock.
    await client.end().catch(() => undefined);
  }
}
