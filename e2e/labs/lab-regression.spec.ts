/**
 * `npm run labs:test` — every shipped lab through the real UI, as a learner
 * with a solve button would go through it: start a session in the browser;
 * for each step click Check (it must fail, with a hint), run the step's solve,
 * click Check again (it must pass). A JSON report and a readable summary are
 * written to var/lab-reports/ (the paths are printed at the end).
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { endSession, startLab } from '../player/helpers';

const root = path.resolve(import.meta.dirname, '..', '..');
const only = process.env.LABDOCK_LABS?.split(',').filter(Boolean);
const failFirst = process.env.LABDOCK_LABS_NO_FAIL_FIRST !== '1';
const labs = readdirSync(path.join(root, 'labs'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(root, 'labs', d.name, 'lab.mdx')))
  .map((d) => d.name)
  .filter((id) => !only || only.includes(id))
  .sort();

interface StepResult { step: string; title: string; failedFirst: boolean; hint: string; solved: boolean; passedAfter: boolean; ms: number; error?: string }
const report: { lab: string; ok: boolean; ms: number; steps: StepResult[]; error?: string }[] = [];

test.describe.configure({ mode: 'serial' });
test.afterEach(async ({ page, request }) => endSession(page, request));
test.afterAll(() => {
  const dir = path.join(root, 'var', 'lab-reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'lab-regression.json'), JSON.stringify({ at: new Date().toISOString(), labs: report }, null, 2));
  const lines = report.flatMap((l) => [
    `${l.ok ? 'PASS' : 'FAIL'}  ${l.lab}  (${(l.ms / 1000).toFixed(1)} s)${l.error ? `  ${l.error}` : ''}`,
    ...l.steps.map((s) => `      ${s.failedFirst && s.solved && s.passedAfter ? 'ok  ' : 'FAIL'}  ${s.step.padEnd(16)} ${(s.ms / 1000).toFixed(1).padStart(5)} s  hint: ${s.hint}${s.error ? `  — ${s.error}` : ''}`),
  ]);
  writeFileSync(path.join(dir, 'lab-regression.txt'), `${lines.join('\n')}\n`);
  console.log(`\nLab regression: ${report.filter((l) => l.ok).length}/${report.length} labs passed\n${lines.join('\n')}\nReport: ${path.join(dir, 'lab-regression.json')} and lab-regression.txt`);
});

async function sessionOf(page: Page): Promise<{ id: string; token: string }> {
  const id = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('labdock.session.')).map((k) => localStorage.getItem(k))[0]);
  const token = (await page.context().cookies()).find((c) => c.name === `labdock_token_${id}`)?.value;
  if (!id || !token) throw new Error('no session in the page');
  return { id, token };
}

for (const lab of labs) {
  test(`lab ${lab}: every step fails first, passes after its solve — in the browser`, async ({ page }) => {
    test.setTimeout(600_000);
    const started = Date.now();
    const entry = { lab, ok: false, ms: 0, steps: [] as StepResult[], error: undefined as string | undefined };
    report.push(entry);
    try {
      const meta = (await (await page.request.get(`/api/labs/${lab}`)).json()) as { steps: { id: string; title: string }[] };
      await startLab(page, lab);
      const { id, token } = await sessionOf(page);
      // The whole lab as one page: every step's Check button is on screen.
      const toggle = page.getByTestId('mode-toggle');
      if ((await toggle.count()) && (await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click();
      for (const step of meta.steps) {
        const t0 = Date.now();
        const result: StepResult = { step: step.id, title: step.title, failedFirst: false, hint: '', solved: false, passedAfter: false, ms: 0 };
        entry.steps.push(result);
        const check = page.getByTestId(`check-${step.id}`);
        const outcome = page.getByTestId(`check-result-${step.id}`);
        await check.scrollIntoViewIfNeeded();
        await check.click();
        await expect(check).toHaveText('Check', { timeout: 90_000 }); // 'Checking…' while it runs
        await expect(outcome).toBeVisible();
        result.hint = (await outcome.innerText()).trim().split('\n').pop() ?? '';
        result.failedFirst = !/passed/i.test(result.hint);
        const solve = await page.request.post(`/api/sessions/${id}/steps/${step.id}/solve`, { headers: { authorization: `Bearer ${token}` }, timeout: 240_000 });
        result.solved = solve.ok() && ((await solve.json()) as { passed: boolean }).passed;
        await check.click();
        await expect(check).toHaveText('Check', { timeout: 90_000 });
        await expect(outcome).toContainText(/passed/i);
        result.passedAfter = true;
        result.ms = Date.now() - t0;
        if (failFirst) expect(result.failedFirst, `${lab}/${step.id}: the check must fail before the step is done`).toBe(true);
        expect(result.solved, `${lab}/${step.id}: the solve must succeed`).toBe(true);
      }
      entry.ok = true;
    } catch (err) {
      entry.error = (err as Error).message.split('\n')[0];
      const last = entry.steps.at(-1);
      if (last && !last.error) last.error = entry.error;
      throw err;
    } finally {
      entry.ms = Date.now() - started;
    }
  });
}
