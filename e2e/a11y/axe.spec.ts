/**
 * axe over every learner-facing page of labdock, in each state that shows
 * different controls: the catalog, a lab before and after its session starts
 * (session panel, terminals, settings, in the dark and the light terminal
 * theme), the phone layout, the registry console's sections, the standalone
 * console, and the not-found page. Zero serious or critical WCAG 2.2 AA
 * violations is the bar (e2e/a11y/axe.ts).
 */
import { test, expect } from '@playwright/test';
import { endSession, startLab } from '../player/helpers';
import { expectAccessible } from './axe';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('catalog and not-found page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Labs', level: 1 })).toBeVisible();
  await expectAccessible(page, 'catalog');
  await page.goto('/labs/no-such-lab');
  await expectAccessible(page, 'not found');
});

test('lab player: before start, running with session panel, light and dark terminals, phone layout', async ({ page }) => {
  await page.goto('/labs/intro');
  await expect(page.getByTestId('start-lab')).toBeEnabled();
  await expectAccessible(page, 'player before start');

  await page.emulateMedia({ colorScheme: 'dark' });
  await startLab(page, 'intro');
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('check-terminal').click();
  await expect(page.getByTestId('check-result-terminal')).toBeVisible();
  await expectAccessible(page, 'player running (dark terminal)');

  await page.getByTestId('terminal-theme').selectOption('light');
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-theme', 'light');
  await expectAccessible(page, 'player running (light terminal)');

  await page.getByTestId('mode-toggle').click();
  await expectAccessible(page, 'player, one step at a time');

  await page.setViewportSize({ width: 375, height: 740 });
  await expectAccessible(page, 'phone layout, instructions');
  await page.getByTestId('view-tab-work').click();
  await expectAccessible(page, 'phone layout, terminal');
});

test('registry console: each section, in the player and on its own page', async ({ page }) => {
  test.setTimeout(300_000);
  await startLab(page, 'registry-basics');
  await page.getByTestId('registry-tab').click();
  await expect(page.getByTestId('registry-signed-in')).toHaveText('admin');
  await expectAccessible(page, 'registry console');
  for (const section of ['users', 'organizations', 'repositories']) {
    const tab = page.getByTestId(`registry-section-${section}`);
    await tab.click();
    await expect(tab).toHaveClass(/active/);
    await expectAccessible(page, `registry console: ${section}`);
  }
  // A failed sign-in shows its error (an alert) in the console.
  await page.getByTestId('registry-signin-username').fill('nobody');
  await page.getByTestId('registry-signin-password').fill('wrong-password');
  await page.getByTestId('registry-signin-submit').click();
  await expect(page.getByTestId('registry-console-error')).toBeVisible();
  await expectAccessible(page, 'registry console with an error');
  await page.getByTestId('registry-use-admin').click();
  await expect(page.getByTestId('registry-signed-in')).toHaveText('admin');

  // The console follows the terminals' theme: the system's light scheme above, its dark one here.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-theme', 'dark');
  await expectAccessible(page, 'registry console (dark)');
  const id = await page.getByTestId('session-status').locator('xpath=..').locator('.session-id').innerText();
  await page.goto(`/sessions/${id}/registry`);
  await expect(page.getByTestId('registry-signed-in')).toHaveText('admin');
  await expectAccessible(page, 'standalone registry console');
});
