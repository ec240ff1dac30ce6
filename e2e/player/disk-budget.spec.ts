/**
 * A session's disk budget, as the learner meets it: on a server of the spec's
 * own with a small budget, filling a node's home directory from the terminal
 * stops with "No space left on device", the session panel says the disk is
 * full (as an alert), and deleting the file gives the room back.
 */
import { test, expect, type Page } from '@playwright/test';
import { startOwnServer, type OwnServer } from '../own-server';
import { expectTerminalToShow, typeInTerminal } from './helpers';

const BUDGET_MB = 640;
let server: OwnServer;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  // Its own port (the pause spec's server uses +1000): a budget small enough to fill in seconds.
  server = await startOwnServer({ port: Number(process.env.LABDOCK_E2E_PORT ?? 3100) + 1001, env: { LABDOCK_DOCKER_SESSION_DISK_MB: String(BUDGET_MB) } });
});
test.afterAll(async () => {
  test.setTimeout(180_000);
  await server?.dispose();
});

async function startTwoNodes(page: Page) {
  await page.goto(`${server.url}/labs/two-nodes`);
  await page.getByTestId('start-lab').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 180_000 });
  const id = await page.evaluate(() => localStorage.getItem('labdock.session.two-nodes'));
  const token = (await page.context().cookies()).find((c) => c.name === `labdock_token_${id}`)?.value;
  expect(id && token, 'the browser holds the session').toBeTruthy();
  server.track(id!, token!);
  return { id: id!, token: token! };
}

test('filling a node stops at the session budget with ENOSPC, the panel says the disk is full, and deleting frees it', async ({ page, request }) => {
  test.setTimeout(420_000);
  const session = await startTwoNodes(page);
  const usage = page.getByTestId('disk-usage');
  await expect(usage).toHaveText(new RegExp(`of ${BUDGET_MB} MiB used`));
  await expect(usage).not.toHaveAttribute('role', 'alert');

  // More than the whole budget, from the learner's own shell as root.
  await page.getByTestId('terminal-tab-manager1').click();
  await typeInTerminal(page, 'manager1', `dd if=/dev/zero of=/root/fill bs=1M count=${BUDGET_MB + 100}; echo "dd-exit-$?"`);
  await expectTerminalToShow(page, 'manager1', /No space left on device[\s\S]*dd-exit-1/, 120_000);

  // The session view the panel polls says so, and the panel shows it as an alert (it re-reads every 15 s).
  const view = await (await request.get(`${server.url}/api/sessions/${session.id}`, { headers: { authorization: `Bearer ${session.token}` } })).json() as { disk?: { full: boolean; usedBytes: number; budgetBytes: number } };
  expect(view.disk?.full, JSON.stringify(view.disk)).toBe(true);
  expect(view.disk!.usedBytes).toBeLessThanOrEqual(view.disk!.budgetBytes);
  await expect(usage).toHaveAttribute('role', 'alert', { timeout: 30_000 });
  await expect(usage).toContainText('No space left on device');

  // The other node shares the budget: it is full there too, and the learner is told the same way.
  await page.getByTestId('terminal-tab-worker1').click();
  await typeInTerminal(page, 'worker1', 'dd if=/dev/zero of=/root/more bs=64k status=none; echo "write-exit-$?"');
  await expectTerminalToShow(page, 'worker1', /No space left on device[\s\S]*write-exit-1/, 30_000);

  await page.getByTestId('terminal-tab-manager1').click();
  await typeInTerminal(page, 'manager1', 'rm /root/fill && sync && echo freed');
  await expectTerminalToShow(page, 'manager1', /^freed$/m, 30_000);
  await expect(usage).not.toHaveAttribute('role', 'alert', { timeout: 30_000 });
  await page.getByTestId('terminal-tab-worker1').click();
  await typeInTerminal(page, 'worker1', 'rm -f /root/more; dd if=/dev/zero of=/root/more bs=1M count=64 status=none; echo "write-exit-$?"');
  await expectTerminalToShow(page, 'worker1', /write-exit-0/, 30_000);
});
