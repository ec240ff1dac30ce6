/**
 * DTR's repository tag limit (seed 003): tags are kept first in, first out —
 * with a limit of 2, pushing a third tag pushes out the oldest. Applied by the
 * tag write service after a tag is written; the tag just written is never the
 * one removed.
 *
 *   tagsToPrune([{ name: '3.5' }, { name: '3.6' }, { name: '3.7' }], 2, '3.7')   // ['3.5']
 */
export function tagsToPrune(oldestFirst: readonly { name: string }[], limit: number | undefined, justWritten: string): string[] {
  if (!limit || limit < 1) return [];
  const excess = oldestFirst.length - limit;
  if (excess <= 0) return [];
  return oldestFirst.filter((t) => t.name !== justWritten).slice(0, excess).map((t) => t.name);
}
