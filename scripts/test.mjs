// `npm test`: prepare what is missing, then run every suite against real parts:
//   1. unit and integration tests (node:test via tsx) — config, database, auth,
//      terminals, the lab compiler, both provisioners on a real engine, images;
//   2. the lab linter over labs/;
//   3. Playwright end-to-end in Debian's Chromium against a real server.
// With LABDOCK_TEST_POSTGRES_URL (CI's .ci/run starts a throwaway cluster), the workshop, database
// and auth suites and the Playwright workshops project run again on PostgreSQL (scripts/test-postgres.mjs);
// without it they are skipped with a message (CI refuses to skip them).
// Prints one closing line "N passed, N failed" over all of them.
//   npm test                 everything
//   npm test -- --unit       only 1 and 2
//   npm test -- --e2e        only 3
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { prepare, root, step } from './prepare.mjs';
import { engineHost } from './labdock-engine.mjs';
import * as postgres from './test-postgres.mjs';

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';
prepare({ forTests: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const byDatabase = { sqlite: { passed: 0, failed: 0 }, postgresql: { passed: 0, failed: 0 } };

const pgProblem = await postgres.postgresProblem();
if (pgProblem && process.env.CI === 'true') {
  console.error(`\n✗ CI runs the workshop suites on PostgreSQL too, and ${pgProblem}: .ci/run starts one.`);
  process.exit(1);
}
if (pgProblem) console.log(`\n▸ PostgreSQL runs skipped: ${pgProblem}. To run them: LABDOCK_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres npm test (a role that may create databases; README "PostgreSQL").`);
const reportDir = path.join(root, 'var', 'test-reports');
mkdirSync(reportDir, { recursive: true });

function findTests(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out.sort();
}

// Tests talk to labdock's own isolating engine (dockerode and the docker CLI both read DOCKER_HOST),
// unless the caller points them elsewhere.
const env = {
  ...process.env, NEXT_TELEMETRY_DISABLED: '1',
  DOCKER_HOST: process.env.DOCKER_HOST ?? engineHost,
  ...(process.env.CI === 'true' ? { LABDOCK_REQUIRE_DOCKER: '1' } : {}),
  // Every PostgreSQL database a test makes carries this run's prefix: dropLeftovers finds what a crash left.
  LABDOCK_TEST_DB_PREFIX: postgres.prefix,
};

// Build (or find cached) every image once, with progress, before suites that need them run in parallel.
if (spawnSync('docker', ['info'], { stdio: 'ignore', env }).status === 0) {
  step('images: node, hub mirror, registry (first run builds them from Debian packages: a few minutes)');
  const images = spawnSync(process.execPath, ['--import', 'tsx', 'runtime/images/cli.ts'], { cwd: root, stdio: 'inherit', env });
  if (images.status !== 0) {
    console.error('\n✗ building images failed: see above. Tests that need Docker would fail the same way.');
    process.exit(1);
  }
}

if (only !== 'e2e') {
  const files = [...findTests(path.join(root, 'runtime')), ...findTests(path.join(root, 'app')), ...(existsSync(path.join(root, 'prisma')) ? findTests(path.join(root, 'prisma')) : [])];
  step(`unit and integration tests: ${files.length} files (real Docker engine, bubblewrap, SQLite)`);
  try {
    countNodeTests(runNodeTests(files, 'node-test.tap', env), 'sqlite');
  } finally {
    // The SQLite pass also compares the two databases' schemas (runtime/db/schema-drift.test.ts).
    if (!pgProblem) await postgres.dropLeftovers();
  }
  if (!pgProblem) {
    const pgFiles = files.filter(postgres.dualDatabaseTests);
    step(`the same on PostgreSQL: ${pgFiles.length} files (workshops, database, auth), each test in a database of its own`);
    try {
      countNodeTests(runNodeTests(pgFiles, 'node-test-postgresql.tap', {
        ...env, LABDOCK_TEST_DATABASE: 'postgresql',
      }), 'postgresql');
    } finally {
      const left = await postgres.dropLeftovers();
      if (left.length) console.log(`  dropped ${left.length} database(s) a test left: ${left.join(', ')}`);
    }
  }

  step('linting labs (npm run labs:lint)');
  const lint = spawnSync(process.execPath, ['--import', 'tsx', 'runtime/labs/lint-cli.ts'], { cwd: root, stdio: 'inherit', env });
  if (lint.status === 0) totals.passed += 1;
  else totals.failed += 1;
}

if (only !== 'unit') {
  step('end-to-end tests: Playwright in Debian Chromium against a real labdock server');
  runPlaywright([], 'playwright.json', path.join(root, 'var', 'e2e-data'), null, 'sqlite');
  if (!pgProblem) {
    step('the workshops project again, on PostgreSQL (a fresh database for this server)');
    try {
      runPlaywright(['--project', 'workshops'], 'playwright-postgresql.json', path.join(root, 'var', 'e2e-data-postgresql'), await postgres.createDatabase('e2e'), 'postgresql');
    } finally {
      await postgres.dropLeftovers();
    }
  }
}

if (!pgProblem) {
  console.log(`\nSQLite: ${byDatabase.sqlite.passed} passed, ${byDatabase.sqlite.failed} failed · PostgreSQL (workshop, database, auth suites): ${byDatabase.postgresql.passed} passed, ${byDatabase.postgresql.failed} failed`);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

function runNodeTests(files, tapName, testEnv) {
  const tap = path.join(reportDir, tapName);
  rmSync(tap, { force: true });
  const r = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { cwd: root, stdio: 'inherit', env: testEnv });
  return { status: r.status, text: existsSync(tap) ? readFileSync(tap, 'utf8') : '' };
}

function countNodeTests({ status, text }, database) {
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  let failed = count('fail') + count('cancelled');
  if (status !== 0 && failed === 0) failed = 1;
  totals.passed += count('pass');
  totals.failed += failed;
  totals.skipped += count('skipped');
  byDatabase[database].passed += count('pass');
  byDatabase[database].failed += failed;
}

/**
 * Removes a test server's data directory. The server keeps sessions up when it stops (a restart adopts them),
 * so local sessions may still run there, each on its own loop-mounted disk (runtime/provisioner/disk):
 * their sandboxes are killed and their disks unmounted first, or the directory could not be removed.
 */
function removeDataDir(dataDir) {
  const local = path.join(dataDir, 'local-nodes');
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m && m.startsWith(`${local}/`));
  for (const mount of mounts) {
    for (const node of existsSync(mount) ? readdirSync(mount) : []) {
      const init = path.join(mount, node, 'init.json');
      if (!existsSync(init)) continue;
      const { pid } = JSON.parse(readFileSync(init, 'utf8'));
      // Only if that pid is still a sandbox (bwrap), not a process that took the number since.
      const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      if (cmd.includes('bwrap')) spawnSync('kill', ['-KILL', String(pid)]);
    }
    // Lazy: a dying sandbox may hold it a moment longer; the loop device goes with its last user.
    spawnSync('umount', ['-l', mount]);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** One Playwright run against a fresh server: SQLite in its data directory, or databaseUrl. */
function runPlaywright(args, jsonName, dataDir, databaseUrl, database) {
  // A fresh data directory per run; its instance label lets the server sweep containers an earlier run left.
  removeDataDir(dataDir);
  const json = path.join(reportDir, jsonName);
  rmSync(json, { force: true });
  const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...args], {
    cwd: root, stdio: 'inherit',
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: json, LABDOCK_E2E_DATA_DIR: dataDir, ...(databaseUrl ? { LABDOCK_E2E_DATABASE_URL: databaseUrl } : {}) },
  });
  // Local sessions the stopped server kept up go with it (Docker ones: the next run's server sweeps its instance's).
  removeDataDir(dataDir);
  let passed = 0;
  let failed = 0;
  if (existsSync(json)) {
    const stats = JSON.parse(readFileSync(json, 'utf8')).stats ?? {};
    passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
    failed = stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
  }
  if (r.status !== 0 && !existsSync(json)) failed += 1;
  totals.passed += passed;
  totals.failed += failed;
  byDatabase[database].passed += passed;
  byDatabase[database].failed += failed;
}
