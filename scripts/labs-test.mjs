// `npm run labs:test [lab…] [--no-fail-first]`: every shipped lab (or the ones named)
// through the real UI (Playwright in Debian's Chromium against a real labdock server),
// step by step: check fails with a hint → solve → check passes. --no-fail-first skips
// the "must fail first" phase (for labs whose steps can pass before they are done).
// The report lands in var/lab-reports/lab-regression.{json,txt}.
import { spawnSync } from 'node:child_process';
import { prepare, root, step } from './prepare.mjs';

const args = process.argv.slice(2);
const labs = args.filter((a) => !a.startsWith('--'));
const unknown = args.filter((a) => a.startsWith('--') && a !== '--no-fail-first');
if (unknown.length) {
  console.error(`labs:test: unknown option ${unknown.join(' ')} (usage: npm run labs:test -- [lab…] [--no-fail-first])`);
  process.exit(2);
}
prepare({ forTests: true });
step('lab regression through the UI (Playwright, one session per lab; a few minutes)');
const env = {
  ...process.env,
  LABDOCK_E2E_PORT: process.env.LABDOCK_E2E_PORT ?? '3101',
  ...(labs.length ? { LABDOCK_LABS: labs.join(',') } : {}),
  ...(args.includes('--no-fail-first') ? { LABDOCK_LABS_NO_FAIL_FIRST: '1' } : {}),
};
const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--project', 'labs'], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
