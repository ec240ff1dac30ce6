// The PostgreSQL half of `npm test`: the workshop, database and auth suites (and the Playwright
// workshops project) run a second time against LABDOCK_TEST_POSTGRES_URL, each test in a database
// of its own. Every database this run makes starts with one prefix, so whatever a crashed test
// left is dropped at the end (dropLeftovers), pass or fail.
// Plain Node; `pg` is imported once npm dependencies are installed.
import { randomBytes } from 'node:crypto';

export const adminUrl = process.env.LABDOCK_TEST_POSTGRES_URL || '';
export const prefix = `labdock_t${process.pid}_${randomBytes(3).toString('hex')}`;

/** The node:test files that run on both databases. */
export const dualDatabaseTests = (file) => /^runtime\/(workshops|db|auth)\//.test(file);

async function withAdmin(fn) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** null when the server answers, else why not. */
export async function postgresProblem() {
  if (!adminUrl) return 'LABDOCK_TEST_POSTGRES_URL is not set';
  try {
    const v = await withAdmin(async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
    console.log(`  PostgreSQL ${v} at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}`);
    return null;
  } catch (err) {
    return `PostgreSQL at LABDOCK_TEST_POSTGRES_URL does not answer: ${err.message}`;
  }
}

/** A database for one server run (the Playwright pass); its URL. */
export async function createDatabase(suffix) {
  const name = `${prefix}_${suffix}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropLeftovers() {
  return withAdmin(async (c) => {
    const names = (await c.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])).rows.map((r) => r.datname);
    for (const n of names) await c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
    return names;
  });
}
