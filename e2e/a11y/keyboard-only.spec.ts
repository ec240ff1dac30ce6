/**
 * The intro lab from start to finish without a mouse: Tab and Shift+Tab to
 * reach controls, Enter to press them, the step navigation to move between
 * steps, a Copy button and Ctrl+Shift+V to paste, Run blocks that type into
 * the terminal, Check, and Ctrl+Shift+E to get out of a terminal (which keeps
 * Tab for the shell). Then, on the two-node lab, switching terminals with the
 * arrow keys on the tab list.
 */
import { test, expect, type Page } from '@playwright/test';
import { endSession, expectTerminalToShow } from '../player/helpers';
import { LEAVE_TERMINAL, expectFocused, hasFocus, tabTo } from './keyboard';

test.afterEach(async ({ page, request }) => endSession(page, request));

const terminalInput = (page: Page, node: string) => page.getByTestId(`terminal-${node}`).locator('textarea');

/** From a terminal: leave it, then Shift+Tab back to `testId` in the lab text and press it. */
async function leaveAndPress(page: Page, node: string, target: ReturnType<Page['getByTestId']>) {
  await page.keyboard.press(LEAVE_TERMINAL);
  await expectFocused(page.getByTestId(`terminal-tab-${node}`), 'Ctrl+Shift+E moves the focus to the terminal\'s tab');
  await tabTo(page, target, { back: true });
  await page.keyboard.press('Enter');
}

test('the intro lab, completed with the keyboard only', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/labs/intro');
  await expect(page.getByTestId('start-lab')).toBeEnabled();

  // The first Tab lands on the skip link, visible while it has the focus.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeInViewport();

  // One step at a time, then start the lab.
  await tabTo(page, page.getByTestId('mode-toggle'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('mode-toggle')).toHaveAttribute('aria-pressed', 'true');
  await tabTo(page, page.getByTestId('start-lab'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 60_000 });
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-state', 'open');

  // The terminal takes the keyboard when it opens; Tab stays in it (the shell completes with it).
  await expectFocused(terminalInput(page, 'node1'));
  await page.keyboard.type('hostnam');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'node1', /hostname\s*\n\s*node1/);
  expect(await hasFocus(terminalInput(page, 'node1')), 'Tab does not leave the terminal').toBe(true);

  // Step 1: Copy the block with the keyboard, paste it into the terminal with Ctrl+Shift+V, Check.
  await page.keyboard.press(LEAVE_TERMINAL);
  await expectFocused(page.getByTestId('terminal-tab-node1'));
  const step1 = page.getByTestId('step-terminal');
  await tabTo(page, step1.locator('[data-testid^="copy-"]'), { back: true });
  await page.keyboard.press('Enter');
  await expect(step1.locator('[data-testid^="copy-"]')).toHaveText(/Copied/);
  await tabTo(page, terminalInput(page, 'node1'));
  await page.keyboard.press('Control+Shift+V');
  // Pasting reads the clipboard asynchronously: Enter only once the command is at the prompt.
  await expectTerminalToShow(page, 'node1', /mkdir -p ~\/notes/);
  await page.keyboard.press('Enter');
  // Ran: a new prompt follows it, so the Check below sees its result.
  await expectTerminalToShow(page, 'node1', /mkdir -p ~\/notes\s*\n[^\n]*@node1[^\n]*\$/);
  await leaveAndPress(page, 'node1', page.getByTestId('check-terminal'));
  await expect(page.getByTestId('check-result-terminal')).toContainText(/passed/i);

  // Next step: the focus follows to the new step's heading.
  await tabTo(page, step1.getByRole('button', { name: /Next step/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-progress')).toHaveText(/step 2 of 5/i);
  await expectFocused(page.getByTestId('step-run-blocks').getByRole('heading'));

  // Step 2: Check first (a hint), Run, Check again.
  const step2 = page.getByTestId('step-run-blocks');
  await tabTo(page, page.getByTestId('check-run-blocks'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('check-result-run-blocks')).toContainText(/does not exist yet/);
  await tabTo(page, step2.locator('[data-testid^="run-"]'), { back: true });
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'node1', /hello-labdock/);
  await expectFocused(terminalInput(page, 'node1'), 'Run leaves the keyboard in the terminal it typed into');
  await leaveAndPress(page, 'node1', page.getByTestId('check-run-blocks'));
  await expect(page.getByTestId('check-result-run-blocks')).toContainText(/passed/i);
  await tabTo(page, step2.getByRole('button', { name: /Next step/ }));
  await page.keyboard.press('Enter');

  // Step 3: a command that never ends, then the block that interrupts it.
  const step3 = page.getByTestId('step-processes');
  await expectFocused(step3.getByRole('heading'));
  const runs3 = step3.locator('[data-testid^="run-"]');
  await tabTo(page, runs3.nth(0));
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'node1', /tick 2/);
  await page.keyboard.press(LEAVE_TERMINAL);
  await tabTo(page, runs3.nth(1), { back: true });
  await page.keyboard.press('Enter');
  // The interrupt block types after Ctrl-C has reached the shell, then hands the keyboard to the terminal.
  await expectFocused(terminalInput(page, 'node1'));
  await leaveAndPress(page, 'node1', page.getByTestId('check-processes'));
  await expect(page.getByTestId('check-result-processes')).toContainText(/passed/i);
  await tabTo(page, step3.getByRole('button', { name: /Next step/ }));
  await page.keyboard.press('Enter');

  // Step 4.
  const step4 = page.getByTestId('step-session-panel');
  await expectFocused(step4.getByRole('heading'));
  await tabTo(page, step4.locator('[data-testid^="run-"]'));
  await page.keyboard.press('Enter');
  await leaveAndPress(page, 'node1', page.getByTestId('check-session-panel'));
  await expect(page.getByTestId('check-result-session-panel')).toContainText(/passed/i);
  await tabTo(page, step4.getByRole('button', { name: /Next step/ }));
  await page.keyboard.press('Enter');

  // Step 5 checks itself once its block ran.
  const step5 = page.getByTestId('step-auto-check');
  await expectFocused(step5.getByRole('heading'));
  await tabTo(page, step5.locator('[data-testid^="run-"]'));
  await page.keyboard.press('Enter');
  await expect(step5).toHaveAttribute('data-passed', 'true', { timeout: 30_000 });
  await expect(page.locator('.done-count')).toHaveText('5 of 5 done');
  await expect(page.getByTestId('announcer')).toContainText('All 5 steps done');

  // The step navigation in the header moves back without a mouse too.
  await page.keyboard.press(LEAVE_TERMINAL);
  await tabTo(page, page.getByRole('button', { name: 'previous step' }), { back: true });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-progress')).toHaveText(/step 4 of 5/i);
});

test('switching terminals with the keyboard: leave, arrow to the next tab, Enter', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/labs/two-nodes');
  await tabTo(page, page.getByTestId('start-lab'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 180_000 });
  await expect(page.getByTestId('terminal-manager1')).toHaveAttribute('data-state', 'open');
  await expectFocused(terminalInput(page, 'manager1'));

  await page.keyboard.press(LEAVE_TERMINAL);
  const tab1 = page.getByTestId('terminal-tab-manager1');
  const tab2 = page.getByTestId('terminal-tab-worker1');
  await expectFocused(tab1);
  // Arrows move along the tab list without opening a tab; Enter opens it and hands the keyboard to its terminal.
  await page.keyboard.press('ArrowRight');
  await expectFocused(tab2);
  await expect(tab2).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('Enter');
  await expect(tab2).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('terminal-worker1')).toBeVisible();
  await expect(page.getByTestId('terminal-manager1')).toBeHidden();
  await expectFocused(terminalInput(page, 'worker1'));
  await page.keyboard.type('hostname');
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'worker1', /hostname\s*\n\s*worker1/, 30_000);

  // Back with the other arrow (and Home), and the first terminal still has the keyboard after Enter.
  await page.keyboard.press(LEAVE_TERMINAL);
  await expectFocused(tab2);
  await page.keyboard.press('Home');
  await expectFocused(tab1);
  await page.keyboard.press('Enter');
  await expectFocused(terminalInput(page, 'manager1'));
  // Only the open tab is in the Tab order: one Tab stop for the whole list.
  await expect(tab1).toHaveAttribute('tabindex', '0');
  await expect(tab2).toHaveAttribute('tabindex', '-1');
});
