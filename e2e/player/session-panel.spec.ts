/**
 * The session panel's controls in the browser: reset gives fresh nodes and
 * clears progress; ending the session removes it and offers a new start.
 */
import { test, expect } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab, terminalText, typeInTerminal } from './helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('reset recreates the node and clears progress; end session ends it', async ({ page, request }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await startLab(page, 'intro');
  await expect(page.getByTestId('time-left')).toHaveText(/^\d+:\d\d/);

  await typeInTerminal(page, 'node1', 'mkdir -p ~/notes && echo was-here > ~/notes/old && echo written');
  await expectTerminalToShow(page, 'node1', /written/);
  await page.getByTestId('check-terminal').click();
  await expect(page.getByTestId('check-result-terminal')).toContainText(/passed/i);

  await page.getByTestId('reset-session').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('check-result-terminal')).toHaveCount(0);
  await expect.poll(() => terminalText(page, 'node1'), { timeout: 20_000 }).toMatch(/\$\s*$/m);
  await typeInTerminal(page, 'node1', 'cat ~/notes/old 2>/dev/null || echo fresh-node');
  await expectTerminalToShow(page, 'node1', /fresh-node/);

  const id = await page.evaluate(() => localStorage.getItem('labdock.session.intro'));
  expect(id).toMatch(/^[a-f0-9]{12}$/);
  await page.getByTestId('end-session').click();
  await expect(page.getByTestId('start-lab')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('labdock.session.intro'))).toBeNull();
  // The browser's cookie is cleared too: the ended session is no longer reachable from this page.
  const res = await page.request.get(`/api/sessions/${id}`);
  expect(res.status()).toBe(404);
  void request;
});
