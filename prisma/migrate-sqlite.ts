/**
 * Applies prisma/migrations/* to a SQLite database without Prisma's schema
 * engine (which cannot be downloaded on these machines), keeping Prisma's own
 * bookkeeping table, `_prisma_migrations`.
 *
 *   const applied = migrateSqlite('/srv/labdock/var/labdock.db');
 *   // ['20261122120000_init']  (the ones applied now; [] when up to date)
 *
 * Each migration runs in one transaction: a failing one leaves the database as
 * it was and throws with the migration's name.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { changedAfterApplied, listMigrations, MIGRATIONS } from './list-migrations';

export function migrateSqlite(file: string, migrationsDir: string = MIGRATIONS.sqlite): string[] {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const done = new Map(
      (db.prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as { migration_name: string; checksum: string }[])
        .map((r) => [r.migration_name, r.checksum]),
    );
    const applied: string[] = [];
    for (const { name, sql, checksum } of listMigrations(migrationsDir)) {
      const seen = done.get(name);
      if (seen !== undefined) {
        if (seen !== checksum) throw changedAfterApplied(name);
        continue;
      }
      const run = db.transaction(() => {
        db.exec(sql);
        db.prepare(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
          VALUES (?, ?, ?, ?, 1, ?)`).run(randomUUID(), checksum, Date.now(), name, Date.now());
      });
      try {
        run();
      } catch (err) {
        throw new Error(`migration ${name} failed: ${(err as Error).message}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    db.close();
  }
}
