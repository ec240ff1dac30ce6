/**
 * What a screen reader gets: the terminal setting that turns on xterm's
 * screen-reader mode (an accessible mirror of the screen, kept per browser),
 * and the player's live region reading out the session's status, each
 * check's result and the progress it makes; errors come as alerts.
 */
import { test, expect } from '@playwright/test';
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

test('live region: status, check results with their hint, progress; errors are alerts', async ({ page, request }) => {
  const announcer = page.getByTestId('announcer');
  await page.goto('/labs/intro');
  // The region is in the page before anything is said, so the first message is read too.
  await expect(announcer).toHaveAttribute('role', 'status');
  // Everything the region says, in order, as a screen reader would hear it.
  await announcer.evaluate((el) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver(() => said.push(el.textContent?.trim() ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('start-lab').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 60_000 });
  await expect(announcer).toHaveText(/The lab is ready/);
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
  expect(said[0]).toMatch(/^Starting the lab\./);
  // Stages finished while starting are read (the last ones may land with "ready" itself, which says it all).
  expect(said.some((s) => /\b(network|node node1) ready\./.test(s)), `start-up stages read out: ${JSON.stringify(said)}`).toBe(true);
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
