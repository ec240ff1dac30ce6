/**
 * What a screen reader gets: the terminal setting that turns on xterm's
 * screen-reader mode (an accessible mirror of the screen, kept per browser),
 * and the player's live region reading out the session's status, each
 * check's result and the progress it makes; errors come as alerts.
 */
import { test, expect, type Page } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab, typeInTerminal } from '../player/helpers';
import { sessionOf } from '../player/registry-console-helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('screen-reader mode: xterm mirrors the terminal for assistive technology, and the setting is kept', async ({ page }) => {
  await startLab(page, 'intro');
  const pane = page.getByTestId('terminal-node1');
  await expect(pane).toHaveAttribute('data-state', 'open');
  // Off by default: no accessibility tree (it costs a DOM copy of the screen).
  await expect(pane.locator('.xterm-accessibility-tree')).toHaveCount(0);
  // The terminal input says how to leave it.
  await expect(pane.locator('textarea')).toHaveAccessibleDescription(/Ctrl\+Shift\+E leaves the terminal/);

  await page.getByTestId('screen-reader-mode').check();
  await expect(pane.locator('.xterm-accessibility-tree')).toHaveCount(1);
  await typeInTerminal(page, 'node1', 'echo "sr-$((6*7))"');
  await expect(pane.locator('.xterm-accessibility-tree')).toContainText('sr-42');

  await page.reload();
  await expect(page.getByTestId('screen-reader-mode')).toBeChecked();
  await expect(pane.locator('.xterm-accessibility-tree')).toHaveCount(1);
  await page.getByTestId('screen-reader-mode').uncheck();
  await expect(pane.locator('.xterm-accessibility-tree')).toHaveCount(0);
});

/**
 * Starts the lab open in the page while recording everything the live region says, in order, as a screen
 * reader would hear it, and every start-up stage the progress list showed as done (what a sighted learner saw).
 */
async function startListening(page: Page): Promise<{ said: string[]; shown: string[] }> {
  const announcer = page.getByTestId('announcer');
  // The region is in the page before anything is said, so the first message is read too.
  await expect(announcer).toHaveAttribute('role', 'status');
  await announcer.evaluate((el) => {
    const said: string[] = [];
    const shown = new Set<string>();
    Object.assign(window, { said, shown });
    new MutationObserver(() => said.push(el.textContent?.trim() ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    new MutationObserver(() => {
      for (const li of document.querySelectorAll('[data-testid^="progress-"][data-state="done"]')) shown.add(li.getAttribute('data-testid')!.slice('progress-'.length));
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  await page.getByTestId('start-lab').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 120_000 });
  await expect(announcer).toHaveText(/The lab is ready/);
  return page.evaluate(() => {
    const w = window as unknown as { said: string[]; shown: Set<string> };
    return { said: w.said, shown: [...w.shown] };
  });
}

test('live region: start-up stages are read out as the progress list shows them done (a registry lab: several polls long)', async ({ page }) => {
  await page.goto('/labs/registry-basics');
  const { said, shown } = await startListening(page);
  expect(said[0]).toMatch(/^Starting the lab\./);
  expect(said.at(-1)).toMatch(/The lab is ready/);
  // Stages that finish with "ready" itself are not read twice ("ready" says it all); those shown before it are read.
  expect(shown.length, `the progress list showed stages done while starting: ${JSON.stringify(said)}`).toBeGreaterThan(0);
  for (const slug of shown) {
    const stage = slug.replace(/-/g, ' ');
    expect(said.some((s) => s.includes(`${stage} ready.`)), `"${stage}" was shown done but not read out: ${JSON.stringify(said)}`).toBe(true);
  }
});

test('live region: status, check results with their hint, progress; errors are alerts', async ({ page, request }) => {
  const announcer = page.getByTestId('announcer');
  await page.goto('/labs/intro');
  const { said } = await startListening(page);
  expect(said[0]).toMatch(/^Starting the lab\./);
  expect(said.at(-1)).toMatch(/The lab is ready/);

  await page.getByTestId('check-terminal').click();
  await expect(announcer).toHaveText(/Step 1, Use the terminal: not yet\. There is no ~\/notes folder yet/);
  // The same result twice is read twice: the region's text changes.
  const first = await announcer.textContent();
  await page.getByTestId('check-terminal').click();
  await expect.poll(() => announcer.textContent(), { message: 'the region\'s raw text changes' }).not.toBe(first);
  await expect(announcer).toHaveText(/Step 1, Use the terminal: not yet/);

  await typeInTerminal(page, 'node1', 'mkdir -p ~/notes && echo made');
  await expectTerminalToShow(page, 'node1', /\nmade/);
  await page.getByTestId('check-terminal').click();
  await expect(announcer).toHaveText(/Step 1, Use the terminal: passed\. 1 of 5 steps done\./);

  // A reload restores progress silently: nothing is read out as if it just happened.
  await page.reload();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i);
  await expect(page.getByTestId('check-result-terminal')).toContainText(/passed/i);
  await expect(announcer).not.toHaveText(/passed/);

  // The session goes away behind the page's back: the player learns it from the closed terminal,
  // says so as an alert (read at once), and the live region reports the status change.
  const s = await sessionOf(page);
  expect((await request.delete(`/api/sessions/${s.id}`, { headers: s.headers })).ok()).toBe(true);
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('role', 'alert');
  // Worded by whichever notices first: the closed terminal ("This session has ended…") or an auto check ("session is ended").
  await expect(error).toContainText(/session (has|is) ended/i);
  await expect(announcer).toHaveText(/The session has ended\./);
});
