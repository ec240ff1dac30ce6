// `npm run labs:test`: every shipped lab through the real UI (Playwright in Debian's
// Chromium against a real labdock server), step by step: check fails with a hint →
// solve → check passes. LABDOCK_LABS=a,b limits it to some labs. The report lands in
// var/lab-reports/lab-regression.{json,txt}.
import { spawnSync } from 'node:child_process';
import { prepare, root, step } from './prepare.mjs';

prepare({ forTests: true });
step('lab regression through the UI (Playwright, one session per lab; a few minutes)');
const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--project', 'labs'], { cwd: root, stdio: 'inherit', env: { ...process.env, LABDOCK_E2E_PORT: process.env.LABDOCK_E2E_PORT ?? '3101' } });
process.exit(r.status ?? 1);
