import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** The visible text of a node's terminal (xterm's DOM renderer keeps rows in the DOM). */
export async function terminalText(page: Page, node: string): Promise<string> {
  return (await page.getByTestId(`terminal-${node}`).locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
}

export async function expectTerminalToShow(page: Page, node: string, pattern: RegExp, timeout = 20_000) {
  await expect.poll(() => terminalText(page, node), { timeout, message: `terminal ${node} should show ${pattern}` }).toMatch(pattern);
}

/** Types into a node's terminal the way a learner does: focus, keys, Enter. */
export async function typeInTerminal(page: Page, node: string, text: string) {
  await page.getByTestId(`terminal-${node}`).locator('.xterm').click();
  await page.keyboard.type(text, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** Starts the lab from its page and waits until the session is ready. */
export async function startLab(page: Page, lab: string) {
  await page.goto(`/labs/${lab}`);
  await page.getByTestId('start-lab').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 120_000 });
}

/** Ends whatever session the page holds, so no sandbox outlives a test even when it fails. */
export async function endSession(page: Page, request: APIRequestContext) {
  const id = await page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.startsWith('labdock.session.')) return localStorage.getItem(key);
    }
    return null;
  }).catch(() => null);
  if (!id) return;
  const cookies = await page.context().cookies();
  const token = cookies.find((c) => c.name === `labdock_token_${id}`)?.value;
  if (token) await request.delete(`/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } });
}
