/**
 * Pause → labdock server restart → resume, in the browser, on a server of the
 * spec's own (e2e/own-server.ts): the two-node lab keeps each node's files and
 * `docker images`; the content-trust lab, paused after its signed push and
 * resumed from another browser through its resume link, passes its remaining
 * steps. The catalog offers "continue" for the paused session.
 */
import { readFileSync } from 'node:fs';
import { test, expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { startOwnServer, type OwnServer } from '../own-server';
import { expectTerminalToShow, typeInTerminal } from './helpers';
import { expectAccessible } from '../a11y/axe';

let server: OwnServer;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  server = await startOwnServer();
});
test.afterAll(async () => {
  test.setTimeout(180_000);
  await server?.dispose();
});

/** Starts a lab in the page and returns its session id and token (from the HttpOnly cookie, for API calls). */
async function start(page: Page, lab: string) {
  await page.goto(`${server.url}/labs/${lab}`);
  await page.getByTestId('start-lab').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 180_000 });
  return credentials(page.context(), lab);
}

async function credentials(context: BrowserContext, lab: string) {
  const page = context.pages()[0];
  const id = await page.evaluate((l) => localStorage.getItem(`labdock.session.${l}`), lab);
  const token = (await context.cookies()).find((c) => c.name === `labdock_token_${id}`)?.value;
  expect(id && token, 'the browser holds the session').toBeTruthy();
  server.track(id!, token!);
  return { id: id!, token: token! };
}

async function exec(request: APIRequestContext, s: { id: string; token: string }, node: string, command: string) {
  const res = await request.post(`${server.url}/api/sessions/${s.id}/exec`, { headers: { authorization: `Bearer ${s.token}` }, data: { node, command }, timeout: 120_000 });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { exitCode: number; output: string };
}

async function step(request: APIRequestContext, s: { id: string; token: string }, stepId: string, action: 'solve' | 'check') {
  const res = await request.post(`${server.url}/api/sessions/${s.id}/steps/${stepId}/${action}`, { headers: { authorization: `Bearer ${s.token}` }, timeout: 180_000 });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { passed: boolean; message: string };
}

async function pauseInPanel(page: Page) {
  await page.getByTestId('pause-session').click();
  await expect(page.getByTestId('paused-box')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('session-status')).toHaveText(/paused/i);
}

async function resumeInPanel(page: Page) {
  await page.getByTestId('resume-session').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 120_000 });
}

test('two-node lab: pause, server restart, continue from the catalog, resume — files and docker images in each node survive', async ({ page, request }) => {
  test.setTimeout(600_000);
  const s = await start(page, 'two-nodes');
  const m1 = await exec(request, s, 'manager1', 'echo manager-notes > ~/notes.txt && docker pull -q alpine:3.6 >/dev/null && docker tag alpine:3.6 learner/only-manager:1 && docker images --format "{{.Repository}}:{{.Tag}}" | sort');
  expect(m1.output).toContain('learner/only-manager:1');
  await exec(request, s, 'worker1', 'echo worker-notes > ~/notes.txt && docker pull -q alpine:3.6 >/dev/null');
  // Steps 1 and 3 passed, step 2 not: the learner is back at step 2, the first one not passed.
  for (const id of ['own-engine', 'reach-by-name']) {
    expect((await step(request, s, id, 'solve')).passed).toBe(true);
    expect((await step(request, s, id, 'check')).passed).toBe(true);
  }

  await pauseInPanel(page);
  await server.restart();

  // The catalog offers to continue, with the step reached.
  await page.goto(server.url);
  await expect(page.getByTestId('continue-two-nodes-step')).toContainText(/paused, step 2 of 5/);
  await page.getByTestId('continue-two-nodes').click();
  await expect(page.getByTestId('paused-box')).toBeVisible();
  await expectAccessible(page, 'the paused session panel');
  await page.getByTestId('resume-session').click();
  await expect(page.getByText('Resuming your lab…')).toBeVisible();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 120_000 });

  expect((await exec(request, s, 'manager1', 'cat ~/notes.txt; docker images --format "{{.Repository}}:{{.Tag}}" | sort')).output)
    .toBe('manager-notes\nalpine:3.6\nlearner/only-manager:1\n');
  expect((await exec(request, s, 'worker1', 'cat ~/notes.txt; docker images --format "{{.Repository}}:{{.Tag}}" | sort; hostname')).output)
    .toBe('worker-notes\nalpine:3.6\nworker1\n');
  // The terminals reach the resumed nodes.
  await page.getByTestId('terminal-tab-manager1').click();
  await typeInTerminal(page, 'manager1', 'cat ~/notes.txt && docker run --rm learner/only-manager:1 echo ran-after-resume');
  await expectTerminalToShow(page, 'manager1', /manager-notes[\s\S]*ran-after-resume/, 60_000);
});

test('content-trust lab: paused after the signed push, server restart, resumed from another browser by its link; the remaining steps pass', async ({ page, request, browser }) => {
  test.setTimeout(600_000);
  const s = await start(page, 'content-trust');
  const all = [...readFileSync('labs/content-trust/lab.mdx', 'utf8').matchAll(/<Step id="([^"]+)"/g)].map((m) => m[1]);
  const done = all.indexOf('sign') + 1;
  for (const id of all.slice(0, done)) {
    expect((await step(request, s, id, 'solve')).passed).toBe(true);
    expect((await step(request, s, id, 'check')).passed).toBe(true);
  }

  await pauseInPanel(page);
  await page.getByTestId('resume-link-button').click();
  await page.getByRole('button', { name: 'show resume link' }).click();
  const link = (await page.getByTestId('resume-link').innerText()).trim();
  expect(link).toMatch(new RegExp(`^${server.url}/resume/${s.id}#[A-Za-z0-9_-]{40,}$`));

  await server.restart();

  // Another browser: no cookie of this session, only the link.
  const other = await browser.newContext();
  try {
    // A wrong secret opens nothing.
    const wrong = await other.newPage();
    await wrong.goto(`${server.url}/resume/${s.id}#${'x'.repeat(43)}`);
    await expect(wrong.getByTestId('resume-error')).toContainText(/not valid/);
    await wrong.close();
    const tab = await other.newPage();
    await tab.goto(link);
    await expect(tab).toHaveURL(`${server.url}/labs/content-trust`);
    expect(tab.url()).not.toContain('#');
    await expect(tab.getByTestId('paused-box')).toBeVisible();
    await resumeInPanel(tab);
    const moved = await credentials(other, 'content-trust');
    expect(moved.id).toBe(s.id);
    // The first browser's token no longer opens the session; the link works once.
    expect((await request.get(`${server.url}/api/sessions/${s.id}`, { headers: { authorization: `Bearer ${s.token}` } })).status()).toBe(404);
    const again = await other.newPage();
    await again.goto(link);
    await expect(again.getByTestId('resume-error')).toContainText(/not valid/);

    // The player shows the step reached; the rest of the lab passes on the resumed registry and nodes.
    for (const id of all.slice(done)) {
      expect((await step(request, moved, id, 'check')).passed, `${id} before its solve`).toBe(false);
      const solved = await step(request, moved, id, 'solve');
      expect(solved.passed, solved.message).toBe(true);
      const checked = await step(request, moved, id, 'check');
      expect(checked.passed, checked.message).toBe(true);
    }
  } finally {
    await other.close();
  }
});
