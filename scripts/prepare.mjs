// Brings a fresh clone to a runnable state, doing only what is missing:
// npm dependencies, the Prisma client, a Docker engine (installed and started
// where we are root on Debian), bubblewrap, Chromium for tests, and the Next.js
// build. Shared by `npm start` and `npm test`; plain Node so it runs before
// `npm install`. Every slow step says what it is doing; every failure says
// what to do.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureLabdockEngine } from './labdock-engine.mjs';
import { clientsUpToDate, generateClients } from './prisma-generate.mjs';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function step(message) {
  console.log(`\n▸ ${message}`);
}

export function fail(message) {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) return { ok: false, error: r.error.message };
  return { ok: r.status === 0, status: r.status };
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
let aptUpdated = false;

function aptInstall(packages, why) {
  if (!isRoot || !hasApt) return false;
  step(`installing ${packages.join(', ')} from Debian (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    if (!run('apt-get', ['update', '-q'], { env }).ok) fail('apt-get update failed: check that this machine reaches its Debian mirror.');
    aptUpdated = true;
  }
  if (!run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env }).ok) {
    fail(`apt-get install ${packages.join(' ')} failed: install them by hand and run this again.`);
  }
  return true;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`labdock needs Node.js 20.19 or newer; this is ${process.version}.`);
}

function installDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // `npm install`, not `npm ci`: the registry reachable here lacks other platforms' optional
  // packages (@next/swc-darwin-*), so a lockfile made here never satisfies ci's strict check.
  // install still takes the lockfile's versions.
  step('installing npm dependencies (native modules node-pty and better-sqlite3 compile, ~1-2 min)');
  if (!run('npm', ['install', '--no-fund', '--no-audit']).ok) fail('npm install failed: read the output above (a C++ toolchain and python3 are needed for native modules: apt-get install build-essential python3).');
}

function generatePrisma() {
  if (clientsUpToDate()) return;
  step('generating the Prisma clients (SQLite and PostgreSQL, from prisma/schema.prisma)');
  if (!generateClients()) fail('prisma generate failed: see the output above.');
}

/**
 * Makes sure labdock's own isolating engine answers (scripts/labdock-engine.mjs),
 * installing docker.io and starting it where we are root. Returns a problem
 * string or null. Another engine on this machine is left as it is.
 */
export function ensureDocker({ required }) {
  const problem = ensureLabdockEngine({
    step,
    installDocker: () => aptInstall(['docker.io', 'iptables'], 'the Docker engine that runs lab nodes'),
  });
  if (problem && required) fail(problem);
  return problem;
}

function ensureTool(binary, pkg, why) {
  if (existsSync(binary)) return true;
  return aptInstall([pkg], why);
}

function hashTree(paths) {
  const h = createHash('sha256');
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p).sort()) if (e !== 'node_modules' && !e.endsWith('.test.ts')) walk(path.join(p, e));
    } else {
      h.update(path.relative(root, p));
      h.update(readFileSync(p));
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return h.digest('hex');
}

function buildNext() {
  const inputs = hashTree(['app', 'public', 'runtime', 'next.config.ts', 'package-lock.json', 'tsconfig.json']);
  const stamp = path.join(root, '.next', 'labdock-inputs');
  if (existsSync(path.join(root, '.next', 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) return;
  step('building the web app (next build, ~1-2 min on 2 cores)');
  if (!run('npx', ['next', 'build'], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }).ok) fail('next build failed: see the output above.');
  writeFileSync(stamp, inputs);
}

/** Everything `npm start` and `npm test` need before they run. */
export function prepare({ forTests = false } = {}) {
  checkNode();
  installDependencies();
  generatePrisma();
  const dockerProblem = ensureDocker({ required: forTests && process.env.CI === 'true' });
  if (!ensureTool('/usr/bin/bwrap', 'bubblewrap', 'sandboxes for labs without a container engine')) {
    console.log('  bubblewrap is not installed: labs without a container engine will run in Docker nodes.');
  }
  if (forTests) {
    if (!ensureTool('/usr/bin/chromium', 'chromium', 'the browser the end-to-end tests drive')) {
      fail('Chromium is needed for the end-to-end tests: apt-get install chromium.');
    }
    ensureTool('/usr/sbin/debootstrap', 'debootstrap', 'building the base image offline');
  } else {
    ensureTool('/usr/sbin/debootstrap', 'debootstrap', 'building the base image offline');
  }
  buildNext();
  return { dockerProblem };
}
