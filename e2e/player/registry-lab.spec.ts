/**
 * A registry lab in the browser: the session panel shows the registry and the
 * session's credentials, and a run block logs node1 in.
 */
import { test, expect } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab } from './helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('registry session: hostname and credentials in the panel, login from a run block passes its check', async ({ page }) => {
  await startLab(page, 'registry-basics');
  await expect(page.getByTestId('registry-hostname')).toHaveText('dtr.labdock');
  await expect(page.getByTestId('registry-username')).toHaveText('admin');
  await expect(page.getByTestId('hostname-node1')).toContainText('node1');

  const step = page.getByTestId('step-login');
  await step.locator('[data-testid^="run-"]').first().click();
  await expectTerminalToShow(page, 'node1', /Login Succeeded/, 30_000);
  await page.getByTestId('check-login').click();
  await expect(page.getByTestId('check-result-login')).toContainText(/passed/i);
});
