/**
 * Playwright runs against a real labdock server (started here on its own port
 * and data directory) in Debian's Chromium: browser downloads are impossible
 * on these machines, so the launch points at /usr/bin/chromium.
 */
import { defineConfig } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.LABDOCK_E2E_PORT ?? 3100);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dataDir = process.env.LABDOCK_E2E_DATA_DIR ?? path.join(root, 'var', 'e2e-data');
// npm test runs the workshops project a second time with a fresh PostgreSQL database here; otherwise SQLite
// in the data directory. Set either way, so a DATABASE_URL in the caller's shell never reaches the test server.
const databaseUrl = process.env.LABDOCK_E2E_DATABASE_URL || `file:${path.join(dataDir, 'labdock.db')}`;

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: path.join(root, 'var', 'e2e-results'),
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? path.join(root, 'var', 'test-reports', 'playwright.json') }]],
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.LABDOCK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
  projects: [
    { name: 'api', testMatch: /api\/.*\.spec\.ts$/ },
    { name: 'player', testMatch: /player\/.*\.spec\.ts$/ },
    // WCAG 2.2 AA: axe on every page, plus keyboard, screen reader, zoom and phone steps axe cannot see.
    { name: 'a11y', testMatch: /e2e\/a11y\/[^/]+\.spec\.ts$/ },
    // Every shipped lab through the UI (~1.5 min for all): part of npm test; npm run labs:test runs it alone.
    { name: 'labs', testMatch: /labs\/.*\.spec\.ts$/ },
    // Instructors, join codes, the warm pool and the live dashboard, with several browser contexts.
    // Anchored at e2e/: a checkout directory named like the project (wt-workshops/) must not pull every spec in.
    { name: 'workshops', testMatch: /[\\/]e2e[\\/]workshops[\\/].*\.spec\.ts$/ },
  ],
  webServer: {
    command: `node --import tsx runtime/server.ts`,
    cwd: root,
    url: `http://localhost:${port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      NODE_ENV: 'production',
      LABDOCK_SERVER_PORT: String(port),
      LABDOCK_SERVER_HOST: '127.0.0.1',
      LABDOCK_DATA_DIR: dataDir,
      LABDOCK_DATABASE_URL: databaseUrl,
      // One client (this machine) starts every lab of the suite: the per-client limits are for the public.
      LABDOCK_LIMITS_LIVE_SESSIONS_PER_CLIENT: '100',
      LABDOCK_LIMITS_CREATIONS_PER_MINUTE: '1000',
      NEXT_TELEMETRY_DISABLED: '1',
      // The first admin, made on first start (e2e/workshops signs in with it).
      LABDOCK_ADMIN_EMAIL: 'admin@labdock.test',
      LABDOCK_ADMIN_PASSWORD: 'e2e-admin-password',
      LABDOCK_WORKSHOPS_POOL_TICK_SECONDS: '1',
    },
  },
});
