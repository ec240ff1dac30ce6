/**
 * Terminal comfort: text size, a light or dark theme that follows the system
 * unless chosen, copy and paste by keyboard (Ctrl+Shift+C / Ctrl+Shift+V) and
 * by the context menu (right click: copy a selection, else paste), and all
 * settings kept by the browser across reloads.
 */
import { test, expect, type Page } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab, typeInTerminal } from '../player/helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

const rowsFontSize = (page: Page) => page.getByTestId('terminal-node1').locator('.xterm-rows')
  .evaluate((el) => getComputedStyle(el).fontSize);
/** The terminal's own background: the first painted one from its rows up to its root (not the page's behind it). */
const background = (page: Page) => page.getByTestId('terminal-node1').locator('.xterm-rows').evaluate((rows) => {
  for (let el: Element | null = rows; el; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
    if (el.classList.contains('xterm')) break;
  }
  return 'none';
});
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test('text size and theme: follow the system, change live, kept across reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await startLab(page, 'intro');
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-state', 'open');
  expect(await rowsFontSize(page)).toBe('14px');
  expect(await background(page)).toBe('rgb(13, 17, 23)');

  // The system switches to light: so does the terminal.
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => background(page)).toBe('rgb(255, 255, 255)');

  // A chosen theme wins over the system's; text size changes the live terminal.
  await page.getByTestId('terminal-theme').selectOption('dark');
  await expect.poll(() => background(page)).toBe('rgb(13, 17, 23)');
  await page.getByTestId('font-larger').click();
  await page.getByTestId('font-larger').click();
  await expect(page.getByTestId('font-size')).toHaveText('16px');
  await expect.poll(() => rowsFontSize(page)).toBe('16px');

  await page.reload();
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('terminal-theme')).toHaveValue('dark');
  await expect.poll(() => rowsFontSize(page)).toBe('16px');
  await expect.poll(() => background(page)).toBe('rgb(13, 17, 23)');

  // A stored value out of range is clamped, and the button at the bound is disabled.
  await page.evaluate(() => localStorage.setItem('labdock.terminal-settings', JSON.stringify({ fontSize: 3, theme: 'bogus' })));
  await page.reload();
  await expect(page.getByTestId('font-size')).toHaveText('10px');
  await expect(page.getByTestId('font-smaller')).toBeDisabled();
  await expect(page.getByTestId('terminal-theme')).toHaveValue('system');
});

test('copy and paste: keyboard shortcuts and the context menu', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await startLab(page, 'intro');
  await typeInTerminal(page, 'node1', 'echo "COPY-ME-$((40+2))"');
  await expectTerminalToShow(page, 'node1', /\nCOPY-ME-42/);

  // Select the output line with the mouse, copy with Ctrl+Shift+C.
  const selectLine = async (text: string) => {
    const row = page.getByTestId('terminal-node1').locator('.xterm-rows > div', { hasText: new RegExp(`^${text}`) });
    const box = (await row.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
  };
  await selectLine('COPY-ME-42');
  await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => clipboard(page)).toMatch(/^COPY-ME-42/);

  // Paste with Ctrl+Shift+V.
  await page.evaluate(() => navigator.clipboard.writeText('echo "pasted-$((1+1))"'));
  await page.getByTestId('terminal-node1').locator('.xterm').click();
  await page.keyboard.press('Control+Shift+V');
  // Pasting reads the clipboard asynchronously: Enter only once the text is at the prompt.
  await expectTerminalToShow(page, 'node1', /echo "pasted-\$\(\(1\+1\)\)"/);
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'node1', /\npasted-2/);

  // Right click with a selection copies it; without one, it pastes.
  await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
  await selectLine('pasted-2');
  await page.getByTestId('terminal-node1').locator('.xterm-screen').click({ button: 'right' });
  await expect.poll(() => clipboard(page)).toMatch(/^pasted-2/);
  await page.evaluate(() => navigator.clipboard.writeText('echo "context-$((2+3))"'));
  await page.getByTestId('terminal-node1').locator('.xterm-screen').click({ button: 'right' });
  await expectTerminalToShow(page, 'node1', /echo "context-\$\(\(2\+3\)\)"/);
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'node1', /\ncontext-5/);
});
