/**
 * What a migrated database holds, in terms both SQLite and PostgreSQL can be
 * compared in: tables, columns (a portable type, nullability, default),
 * primary keys, indexes and foreign keys. schema-drift.test.ts applies each
 * dialect's migrations and requires the two descriptions to be equal, and to
 * match the Prisma schema's models and fields.
 *
 *   const a = describeSqlite('/tmp/x.db');
 *   const b = await describePostgres('postgresql://…/x');
 *   assert.deepEqual(a, b);
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface Column { type: string; nullable: boolean; default: string | null }
export interface Table {
  columns: Record<string, Column>;
  primaryKey: string[];
  /** "name: [unique] col, col" */
  indexes: string[];
  /** "col, col -> Table(col) on delete X on update Y" */
  foreignKeys: string[];
}
export type SchemaDescription = Record<string, Table>;

const BOOKKEEPING = '_prisma_migrations';

const PORTABLE_TYPES: Record<string, string> = {
  text: 'text', integer: 'int', boolean: 'boolean', datetime: 'datetime',
  'timestamp without time zone': 'datetime', 'timestamp(3)': 'datetime',
};

function portableType(raw: string): string {
  const t = raw.toLowerCase();
  return PORTABLE_TYPES[t] ?? `unknown(${raw})`;
}

function portableDefault(raw: string | null): string | null {
  if (raw === null) return null;
  if (/^nextval\(/i.test(raw)) return 'autoincrement';
  return raw.replace(/::[a-z ]+$/i, '').replace(/^current_timestamp$/i, 'CURRENT_TIMESTAMP');
}

function action(a: string): string {
  return a.toUpperCase();
}

export function describeSqlite(file: string): SchemaDescription {
  const db = new Database(file, { readonly: true });
  try {
    const out: SchemaDescription = {};
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ?`).all(BOOKKEEPING) as { name: string; sql: string }[];
    for (const { name, sql } of tables) {
      const cols = db.prepare(`SELECT * FROM pragma_table_info(?)`).all(name) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      const autoincrement = /AUTOINCREMENT/i.test(sql);
      const columns: Record<string, Column> = {};
      for (const c of cols) {
        const isAuto = autoincrement && c.pk === 1;
        columns[c.name] = { type: portableType(c.type), nullable: c.notnull === 0 && c.pk === 0, default: isAuto ? 'autoincrement' : portableDefault(c.dflt_value) };
      }
      const primaryKey = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const indexes = (db.prepare(`SELECT * FROM pragma_index_list(?)`).all(name) as { name: string; unique: number; origin: string }[])
        .filter((i) => i.origin !== 'pk')
        .map((i) => {
          const on = (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(i.name) as { name: string }[]).map((r) => r.name);
          return `${i.name}: ${i.unique ? 'unique ' : ''}${on.join(', ')}`;
        }).sort();
      const fkRows = db.prepare(`SELECT * FROM pragma_foreign_key_list(?)`).all(name) as { id: number; seq: number; table: string; from: string; to: string; on_update: string; on_delete: string }[];
      const byId = new Map<number, typeof fkRows>();
      for (const r of fkRows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
      const foreignKeys = [...byId.values()].map((rows) => {
        rows.sort((a, b) => a.seq - b.seq);
        return `${rows.map((r) => r.from).join(', ')} -> ${rows[0].table}(${rows.map((r) => r.to).join(', ')}) on delete ${action(rows[0].on_delete)} on update ${action(rows[0].on_update)}`;
      }).sort();
      out[name] = { columns, primaryKey, indexes, foreignKeys };
    }
    return out;
  } finally {
    db.close();
  }
}

const PG_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export async function describePostgres(url: string): Promise<SchemaDescription> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: SchemaDescription = {};
    const cols = (await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> $1 ORDER BY table_name, ordinal_position`, [BOOKKEEPING])).rows;
    for (const c of cols) {
      out[c.table_name] ??= { columns: {}, primaryKey: [], indexes: [], foreignKeys: [] };
      out[c.table_name].columns[c.column_name] = { type: portableType(c.data_type), nullable: c.is_nullable === 'YES', default: portableDefault(c.column_default) };
    }
    const idx = (await client.query<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[] }>(
      `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
              array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = current_schema() AND t.relname <> $1`, [BOOKKEEPING])).rows;
    for (const i of idx) {
      if (i.primary) out[i.table].primaryKey = i.columns;
      else out[i.table].indexes.push(`${i.name}: ${i.unique ? 'unique ' : ''}${i.columns.join(', ')}`);
    }
    const fks = (await client.query<{ table: string; ref: string; cols: string[]; refcols: string[]; del: string; upd: string }>(
      `SELECT t.relname AS table, r.relname AS ref, c.confdeltype AS del, c.confupdtype AS upd,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS cols,
              array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS refcols
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace WHERE c.contype = 'f' AND s.nspname = current_schema()`)).rows;
    for (const f of fks) out[f.table].foreignKeys.push(`${f.cols.join(', ')} -> ${f.ref}(${f.refcols.join(', ')}) on delete ${PG_ACTIONS[f.del]} on update ${PG_ACTIONS[f.upd]}`);
    for (const t of Object.values(out)) {
      t.indexes.sort();
      t.foreignKeys.sort();
    }
    return out;
  } finally {
    await client.end();
  }
}

/** What differs between two descriptions, one line each ([] when none), for a failure that says what to fix. */
export function schemaDifferences(a: SchemaDescription, b: SchemaDescription, names: [string, string]): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [ta, tb] = [a[table], b[table]];
    if (!ta || !tb) {
      out.push(`table ${table}: only in ${ta ? names[0] : names[1]}`);
      continue;
    }
    for (const col of new Set([...Object.keys(ta.columns), ...Object.keys(tb.columns)])) {
      const [ca, cb] = [ta.columns[col], tb.columns[col]];
      if (!ca || !cb) out.push(`${table}.${col}: only in ${ca ? names[0] : names[1]}`);
      else if (JSON.stringify(ca) !== JSON.stringify(cb)) out.push(`${table}.${col}: ${names[0]} ${JSON.stringify(ca)}, ${names[1]} ${JSON.stringify(cb)}`);
    }
    if (ta.primaryKey.join() !== tb.primaryKey.join()) out.push(`${table} primary key: ${names[0]} (${ta.primaryKey}), ${names[1]} (${tb.primaryKey})`);
    for (const kind of ['indexes', 'foreignKeys'] as const) {
      for (const x of ta[kind]) if (!tb[kind].includes(x)) out.push(`${table} ${kind}: ${x} only in ${names[0]}`);
      for (const x of tb[kind]) if (!ta[kind].includes(x)) out.push(`${table} ${kind}: ${x} only in ${names[1]}`);
    }
  }
  return out;
}
