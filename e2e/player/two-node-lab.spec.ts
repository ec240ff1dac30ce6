/**
 * A Docker lab in the browser: two DinD nodes, each with its own working
 * engine, reaching each other by hostname, each in its own terminal tab.
 */
import { test, expect } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab, typeInTerminal } from './helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('two DinD nodes: own engines, reach each other, separate terminals', async ({ page }) => {
  await startLab(page, 'two-nodes');
  await expect(page.getByTestId('hostname-manager1')).toContainText('manager1');
  await expect(page.getByTestId('hostname-worker1')).toContainText('worker1');

  await page.getByTestId('terminal-tab-manager1').click();
  await typeInTerminal(page, 'manager1', "docker info --format 'engine={{.Name}}' && ping -c1 -W2 worker1 >/dev/null && echo reach=ok");
  await expectTerminalToShow(page, 'manager1', /engine=manager1[\s\S]*reach=ok/, 30_000);

  await page.getByTestId('terminal-tab-worker1').click();
  await typeInTerminal(page, 'worker1', 'docker volume create only-on-worker >/dev/null && docker volume ls -q && hostname');
  await expectTerminalToShow(page, 'worker1', /only-on-worker\s*\n\s*worker1/, 30_000);

  // The volume exists in worker1's engine only.
  await page.getByTestId('terminal-tab-manager1').click();
  await typeInTerminal(page, 'manager1', 'docker volume ls -q | grep -c only-on-worker || echo none-here');
  await expectTerminalToShow(page, 'manager1', /none-here/, 20_000);
});
