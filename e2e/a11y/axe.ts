/**
 * The automated half of labdock's accessibility checks: axe-core over a page
 * (or part of one) against WCAG 2.0/2.1/2.2 A and AA, failing on every
 * serious or critical violation with what to fix and where. Any surface can
 * use it, e.g. a new instructor page:
 *
 *   import { expectAccessible } from '../a11y/axe';
 *   await page.goto('/workshops/abc/join');
 *   await expectAccessible(page, 'workshop join');
 *
 * Minor and moderate findings are attached to the test's report, not failed.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface AxeOptions {
  /** CSS selectors to check only (default: the whole page). */
  include?: string[];
  /** CSS selectors to leave out, each with a reason in the caller. */
  exclude?: string[];
}

export async function expectAccessible(page: Page, what: string, options: AxeOptions = {}) {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of options.include ?? []) builder = builder.include(selector);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  await test.info().attach(`axe ${what}`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = blocking.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`).join('\n')}`);
  expect(report, `axe on ${what}: serious or critical WCAG violations`).toEqual([]);
  // A check that saw nothing proves nothing.
  expect(results.passes.length, `axe on ${what} checked something`).toBeGreaterThan(0);
}
