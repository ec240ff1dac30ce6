/** Keyboard-only helpers: reach a control the way a keyboard user does, by Tab and Shift+Tab. */
import { expect, type Locator, type Page } from '@playwright/test';

/** True when the focus is on `target` or inside it. */
export async function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)).catch(() => false);
}

/** Presses Tab (Shift+Tab with back) until `target` holds the focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, { back = false, max = 120 } = {}): Promise<number> {
  for (let presses = 0; presses <= max; presses++) {
    if (await hasFocus(target)) return presses;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${target}; the focus is on ${at}`);
}

/** The key that takes the focus out of a terminal (README: "Leaving a terminal"). */
export const LEAVE_TERMINAL = 'Control+Shift+E';

export async function expectFocused(target: Locator, message?: string) {
  await expect.poll(() => hasFocus(target), { message: message ?? `${target} should have the focus` }).toBe(true);
}
