/**
 * A workshop end to end, in real Chromium contexts against a real server:
 * the instructor signs in, creates a 3-seat workshop and warms its pool;
 * three attendees join by code (one passes two steps, one fails a check three
 * times, one idles); the dashboard shows exactly that live and flags the stuck
 * one; a broadcast reaches all three players; the instructor ends one
 * session; the CSV export matches; a fourth browser finds the workshop full;
 * closing the workshop tears the pool down.
 */
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { expectTerminalToShow, typeInTerminal } from '../player/helpers';

const ADMIN = { email: 'admin@labdock.test', password: 'e2e-admin-password' };

async function join(browser: Browser, code: string, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('join-code-input').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByLabel(/Your name/).fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(/\/labs\/intro$/);
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 60_000 });
  return { context, page };
}

async function check(page: Page, step: string) {
  await page.getByTestId(`check-${step}`).click();
  await expect(page.getByTestId(`check-result-${step}`)).toBeVisible();
}

test('instructor runs a 3-seat workshop: pool, joins, live dashboard, broadcast, end, CSV, full, close', async ({ browser }) => {
  const contexts: BrowserContext[] = [];
  const instructorContext = await browser.newContext();
  contexts.push(instructorContext);
  const ip = await instructorContext.newPage();
  let workshopId = '';
  let lp!: Page;
  try {
    await ip.goto('/instructor');
    await expect(ip).toHaveURL(/\/instructor\/sign-in/);
    await ip.getByLabel('Email').fill(ADMIN.email);
    await ip.getByLabel('Password').fill('not the password');
    await ip.getByRole('button', { name: 'Sign in' }).click();
    await expect(ip.getByRole('alert')).toBeVisible();
    // A refused sign-in keeps what was typed (a React form action would reset the form once it settles).
    await expect(ip.getByLabel('Email')).toHaveValue(ADMIN.email);
    await ip.getByLabel('Password').fill(ADMIN.password);
    await ip.getByRole('button', { name: 'Sign in' }).click();
    await expect(ip.getByRole('heading', { name: 'Workshops' })).toBeVisible();

    await ip.getByRole('link', { name: 'New workshop' }).click();
    await ip.getByLabel('Name').fill('Tuesday 9:00');
    await ip.getByRole('checkbox', { name: /Your first labdock lab/ }).check();
    await ip.getByLabel('Seats').fill('3');
    await ip.getByLabel('Session length (minutes)').fill('45');
    await ip.getByRole('button', { name: 'Create workshop' }).click();
    await expect(ip.getByTestId('join-code')).toBeVisible();
    await expect(ip).toHaveURL(/\/instructor\/workshops\/c[a-z0-9]{20,}$/);
    workshopId = ip.url().split('/').pop()!;
    const code = (await ip.getByTestId('join-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    await expect(ip.getByRole('img', { name: /QR code/ }).locator('svg')).toBeVisible();

    await ip.getByRole('button', { name: 'Warm the pool now' }).click();
    await expect(ip.getByTestId('pool-warm')).toHaveText('3', { timeout: 30_000 });

    const alice = await join(browser, code, 'Alice');
    const bob = await join(browser, code, 'Bob');
    const carol = await join(browser, code, 'Carol');
    contexts.push(alice.context, bob.context, carol.context);
    await expect(ip.getByTestId('dashboard').locator('tbody tr')).toHaveCount(3);

    // Alice passes two steps, by typing and by a run block.
    await typeInTerminal(alice.page, 'node1', 'mkdir -p ~/notes && echo made-notes');
    await expectTerminalToShow(alice.page, 'node1', /made-notes\s*\n/);
    await check(alice.page, 'terminal');
    await expect(alice.page.getByTestId('check-result-terminal')).toContainText(/passed/i);
    await alice.page.getByTestId('step-run-blocks').locator('[data-testid^="run-"]').first().click();
    await expect(async () => {
      await check(alice.page, 'run-blocks');
      await expect(alice.page.getByTestId('check-result-run-blocks')).toContainText(/passed/i, { timeout: 3000 });
    }).toPass({ timeout: 30_000 });
    // Bob fails the first check three times; Carol does nothing.
    for (let i = 0; i < 3; i++) {
      await check(bob.page, 'terminal');
      await expect(bob.page.getByTestId('check-result-terminal')).toContainText(/no ~\/notes folder/);
    }

    const row = (name: string) => ip.getByTestId(`attendee-${name}`);
    await expect(row('Alice').getByTestId('cell-terminal')).toHaveAttribute('data-state', 'passed');
    await expect(row('Alice').getByTestId('cell-run-blocks')).toHaveAttribute('data-state', 'passed');
    await expect(row('Bob').getByTestId('cell-terminal')).toHaveAttribute('data-state', 'failing');
    await expect(row('Bob').getByTestId('cell-terminal')).toContainText('failing (3)');
    await expect(row('Bob').getByTestId('cell-terminal')).toContainText('no ~/notes folder');
    await expect(row('Bob').getByTestId('stuck')).toContainText('failed Use the terminal 3 times');
    await expect(row('Carol').getByTestId('cell-terminal')).toHaveAttribute('data-state', 'untried');
    await expect(row('Alice').getByTestId('stuck')).toHaveCount(0);
    await expect(row('Carol').getByTestId('stuck')).toHaveCount(0);
    await expect(ip.getByTestId('completions-terminal')).toHaveText('1 / 3');
    await expect(ip.getByTestId('completions-run-blocks')).toHaveText('1 / 3');

    // The instructor watches Alice's shell: read-only, with its history, and Alice is told.
    await row('Alice').getByTestId('watch-node1').click();
    await expect(ip.getByTestId('watch-state')).toHaveText('watching (read-only)');
    await expect(alice.page.getByTestId('being-watched')).toBeVisible();
    await expect(bob.page.getByTestId('being-watched')).toHaveCount(0);
    const mirror = ip.getByTestId('watch-terminal').locator('.xterm-rows');
    await expect(mirror).toContainText('made-notes');
    await typeInTerminal(alice.page, 'node1', 'echo "seen-by-$((40+2))"');
    await expect(mirror).toContainText('seen-by-42');
    await ip.getByTestId('watch-terminal').click();
    await ip.keyboard.type('echo typed-by-instructor\n');
    await alice.page.waitForTimeout(500);
    await expect(alice.page.getByTestId('terminal-node1')).not.toContainText('typed-by-instructor');
    await ip.getByRole('button', { name: 'Stop watching' }).click();
    await expect(alice.page.getByTestId('being-watched')).toHaveCount(0);

    // A broadcast reaches every player, live.
    await ip.getByLabel('Message to everyone').fill('Ten minutes left for step two');
    await ip.getByRole('button', { name: 'Broadcast' }).click();
    for (const a of [alice, bob, carol]) await expect(a.page.getByTestId('broadcast')).toContainText('Ten minutes left for step two');

    // Ending Carol's session shows on the dashboard.
    await row('Carol').getByTestId('end-attendee').click();
    await expect(row('Carol').getByTestId('session-status')).toHaveText('ended');

    // The same browser rejoining gets its own session back.
    const aliceSession = await alice.page.evaluate(() => localStorage.getItem('labdock.session.intro'));
    await alice.page.goto(`/join/${code}`);
    await alice.page.getByRole('button', { name: 'Back to my lab' }).click();
    await expect(alice.page.getByTestId('session-status')).toHaveText(/ready/i);
    expect(await alice.page.evaluate(() => localStorage.getItem('labdock.session.intro'))).toBe(aliceSession);

    // A fourth browser finds the workshop full.
    const late = await browser.newContext();
    contexts.push(late);
    lp = await late.newPage();
    await lp.goto(`/join/${code}`);
    await expect(lp.getByTestId('join-state')).toContainText('full');

    // The CSV has one row per attendee and step, matching what happened.
    const csv = await ip.request.get(`/api/workshops/${workshopId}/results?format=csv`);
    expect(csv.headers()['content-type'], await csv.text()).toContain('text/csv');
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    const cell = (who: string, step: string) => rows.find((r) => r.attendee === who && r.step === step)!;
    expect(rows.length).toBe(3 * 5);
    expect([cell('Alice', 'terminal').passed, cell('Alice', 'run-blocks').passed, cell('Alice', 'processes').passed]).toEqual(['yes', 'yes', 'no']);
    expect(cell('Alice', 'terminal').first_passed_at).not.toBe('');
    expect([cell('Bob', 'terminal').passed, cell('Bob', 'terminal').attempts, cell('Bob', 'terminal').hints_shown]).toEqual(['no', '3', '3']);
    expect([cell('Carol', 'terminal').passed, cell('Carol', 'terminal').attempts]).toEqual(['no', '0']);
    // Another browser without the instructor's cookie gets nothing.
    expect((await lp.request.get(`/api/workshops/${workshopId}/results?format=csv`)).status()).toBe(401);

    // Closing the workshop (here: moving its close into the past) tears down what the pool still holds.
    const w = await (await ip.request.get(`/api/workshops/${workshopId}`)).json();
    const closed = await ip.request.put(`/api/workshops/${workshopId}`, {
      headers: { origin: new URL(ip.url()).origin },
      data: {
        name: w.name, labs: JSON.parse(w.labIds), seats: w.seats, opensAt: new Date(Date.now() - 7200_000).toISOString(),
        closesAt: new Date(Date.now() - 1000).toISOString(), sessionMinutes: w.sessionMinutes, poolLeadMinutes: w.poolLeadMinutes,
      },
    });
    expect(closed.status(), await closed.text()).toBe(200);
    expect((await (await ip.request.get(`/api/workshops/${workshopId}`)).json()).state).toBe('closed');
    await expect(lp.getByTestId('join-state')).toBeVisible();
    await lp.reload();
    await expect(lp.getByTestId('join-state')).toContainText('has closed');
  } finally {
    // Best effort: no attendee sandbox outlives the test, even when it failed half-way.
    for (const name of ['Alice', 'Bob', 'Carol']) {
      await ip.getByTestId(`attendee-${name}`).getByTestId('end-attendee').click({ timeout: 2000 }).catch(() => undefined);
    }
    for (const c of contexts) await c.close();
  }
});
