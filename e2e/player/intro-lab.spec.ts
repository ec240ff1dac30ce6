/**
 * The loop that is the heart of labdock, in a real browser: open the intro lab,
 * type in the terminal, click a run block, click Check, reload and find the
 * same shell with its history.
 */
import { test, expect } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab, terminalText, typeInTerminal } from './helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('catalog lists the intro lab', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: /first lab|intro/i }).first()).toBeVisible();
});

test('terminal, run block, check, reload keeps the shell', async ({ page }) => {
  await startLab(page, 'intro');
  await expect(page.getByTestId('hostname-node1')).toContainText('node1');

  // Typing in the terminal reaches the node: its hostname comes back.
  await typeInTerminal(page, 'node1', 'hostname');
  await expectTerminalToShow(page, 'node1', /\bnode1\s*\n.*\$/s);

  // A mark only this shell has, to recognise it after the reload.
  await typeInTerminal(page, 'node1', 'export MARK=shell-$RANDOM; echo "mark=$MARK"');
  await expectTerminalToShow(page, 'node1', /mark=shell-\d+/);
  const mark = /mark=(shell-\d+)/.exec(await terminalText(page, 'node1'))![1];

  // Every step: the check fails first with a hint, the step's run blocks solve it, the check passes.
  const stepId = 'run-blocks';
  await page.getByTestId(`check-${stepId}`).click();
  await expect(page.getByTestId(`check-result-${stepId}`)).toBeVisible();
  await expect(page.getByTestId(`check-result-${stepId}`)).not.toContainText(/passed/i);

  const step = page.getByTestId(`step-${stepId}`);
  const runButtons = step.locator('[data-testid^="run-"]');
  const count = await runButtons.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    await runButtons.nth(i).click();
    await page.waitForTimeout(300);
  }
  await expect(async () => {
    await page.getByTestId(`check-${stepId}`).click();
    await expect(page.getByTestId(`check-result-${stepId}`)).toContainText(/passed/i, { timeout: 3000 });
  }).toPass({ timeout: 30_000 });

  // Reload: the same shell comes back with its history, and the mark is still set.
  await page.reload();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 30_000 });
  await expectTerminalToShow(page, 'node1', new RegExp(`mark=${mark}`));
  await typeInTerminal(page, 'node1', 'echo "again=$MARK"');
  await expectTerminalToShow(page, 'node1', new RegExp(`again=${mark}`));
  // Progress survived the reload too.
  await expect(page.getByTestId(`check-result-${stepId}`)).toContainText(/passed/i);
});
