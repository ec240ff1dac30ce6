// `npm test`: prepare what is missing, then run every suite against real parts:
//   1. unit and integration tests (node:test via tsx) — config, database, auth,
//      terminals, the lab compiler, both provisioners on a real engine, images;
//   2. the lab linter over labs/;
//   3. Playwright end-to-end in Debian's Chromium against a real server.
// Prints one closing line "N passed, N failed" over all of them.
//   npm test                 everything
//   npm test -- --unit       only 1 and 2
//   npm test -- --e2e        only 3
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { prepare, root, step } from './prepare.mjs';
import { engineHost } from './labdock-engine.mjs';

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';
prepare({ forTests: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
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
  const tap = path.join(reportDir, 'node-test.tap');
  rmSync(tap, { force: true });
  const r = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { cwd: root, stdio: 'inherit', env });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
  if (r.status !== 0 && count('fail') + count('cancelled') === 0) totals.failed += 1;

  step('linting labs (npm run labs:lint)');
  const lint = spawnSync(process.execPath, ['--import', 'tsx', 'runtime/labs/lint-cli.ts'], { cwd: root, stdio: 'inherit', env });
  if (lint.status === 0) totals.passed += 1;
  else totals.failed += 1;
}

if (only !== 'unit') {
  step('end-to-end tests: Playwright in Debian Chromium against a real labdock server');
  // A fresh data directory per run; its instance label lets the server sweep containers an earlier run left.
  rmSync(path.join(root, 'var', 'e2e-data'), { recursive: true, force: true });
  const json = path.join(reportDir, 'playwright.json');
  rmSync(json, { force: true });
  const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], {
    cwd: root, stdio: 'inherit', env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: json },
  });
  if (existsSync(json)) {
    const stats = JSON.parse(readFileSync(json, 'utf8')).stats ?? {};
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
  }
  if (r.status !== 0 && !existsSync(json)) totals.failed += 1;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
