/**
 * What axe does not measure: every focus stop shows a visible outline;
 * prefers-reduced-motion stops the cursor blinking and transitions; at 200 %
 * zoom (a 1280×800 window is 640×400 CSS pixels) and at 320 px (400 %) nothing
 * needs horizontal scrolling; on a phone the lab text and the terminal are two
 * tabs, and Run brings the terminal to the front.
 */
import { test, expect, type Page } from '@playwright/test';
import { endSession, expectTerminalToShow, startLab } from '../player/helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

/** The focused element's outline, or a box shadow standing in for one. */
const focusRing = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body) return null;
  // xterm's own textarea is invisible by design: its terminal wears the ring.
  const shown = el.classList.contains('xterm-helper-textarea') ? el.closest('.xterm') as HTMLElement : el;
  const s = getComputedStyle(shown);
  return {
    what: `${el.tagName.toLowerCase()} ${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}`,
    visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow !== 'none' && s.boxShadow !== ''),
  };
});

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test('every Tab stop on the catalog and the running player shows a focus ring', async ({ page }) => {
  await page.goto('/');
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    if (!ring) break;
    expect(ring.visible, `focus visible on ${ring.what}`).toBe(true);
  }
  await startLab(page, 'intro');
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-state', 'open');
  await page.keyboard.press('Control+Shift+E');
  await page.locator('body').focus();
  let stops = 0;
  for (; stops < 150; stops++) {
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    if (!ring) continue;
    expect(ring.visible, `focus visible on ${ring.what}`).toBe(true);
    if (ring.what.startsWith('textarea')) break;
  }
  expect(stops, 'Tab reached the terminal').toBeLessThan(150);
});

test('prefers-reduced-motion: no blinking cursor, no transitions', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await startLab(page, 'intro');
  const pane = page.getByTestId('terminal-node1');
  await expect(pane).toHaveAttribute('data-state', 'open');
  await pane.locator('.xterm').click();
  await expect(pane.locator('.xterm-cursor-blink')).toHaveCount(0);
  const transition = await page.locator('.step-bar > div').evaluate((el) => parseFloat(getComputedStyle(el).transitionDuration));
  expect(transition).toBeLessThan(0.01);

  // And the same page with motion allowed does blink: the check above can fail.
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await pane.locator('.xterm').click();
  await expect(pane.locator('.xterm-cursor-blink')).not.toHaveCount(0);
  expect(await page.locator('.step-bar > div').evaluate((el) => parseFloat(getComputedStyle(el).transitionDuration))).toBeGreaterThan(0.1);
});

test('200 % and 400 % zoom: catalog and player reflow without sideways scrolling', async ({ page }) => {
  for (const size of [{ width: 640, height: 400 }, { width: 320, height: 256 }]) {
    await page.setViewportSize(size);
    await page.goto('/');
    expect(await noSideScroll(page), `catalog at ${size.width} px`).toBe(true);
    await page.goto('/labs/intro');
    await expect(page.getByTestId('view-tab-text')).toBeVisible();
    expect(await noSideScroll(page), `player at ${size.width} px`).toBe(true);
    const pane = page.locator('.lab-pane');
    expect(await pane.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `lab text at ${size.width} px`).toBe(true);
  }
});

test('phone layout: instructions and terminal are tabs; Run shows the terminal', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/labs/intro');
  const textTab = page.getByTestId('view-tab-text');
  const workTab = page.getByTestId('view-tab-work');
  await expect(textTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.lab-pane')).toBeVisible();
  await expect(page.locator('.work-pane')).toBeHidden();

  // Arrow keys switch the view like any tab list.
  await textTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(workTab).toBeFocused();
  await expect(workTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.lab-pane')).toBeHidden();
  await page.getByTestId('start-lab').click();
  await expect(page.getByTestId('session-status')).toHaveText(/ready/i, { timeout: 60_000 });
  const term = page.getByTestId('terminal-node1');
  await expect(term).toHaveAttribute('data-state', 'open');
  // The terminal fills the phone's width.
  const box = (await term.boundingBox())!;
  expect(box.width).toBeGreaterThan(340);

  await textTab.click();
  await expect(term).toBeHidden();
  await page.getByTestId('step-run-blocks').locator('[data-testid^="run-"]').first().click();
  await expect(workTab).toHaveAttribute('aria-selected', 'true');
  await expect(term).toBeVisible();
  await expectTerminalToShow(page, 'node1', /hello-labdock/);
  expect(await noSideScroll(page)).toBe(true);
});

test('the wide layout shows both panes and no view tabs', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/labs/intro');
  await expect(page.locator('.lab-pane')).toBeVisible();
  await expect(page.locator('.work-pane')).toBeVisible();
  await expect(page.getByTestId('view-tab-text')).toBeHidden();
});
