/**
 * Where the learner is in a lab: the first step not yet passed, and the
 * "step 3 of 7" label.
 *
 *   const current = firstOpenStep(steps, (id) => results[id]?.passed ?? false);
 */

/** Index of the first step not passed; the last step when all passed; 0 for an empty lab. */
export function firstOpenStep(steps: readonly { id: string }[], passed: (id: string) => boolean): number {
  const open = steps.findIndex((s) => !passed(s.id));
  return open === -1 ? Math.max(0, steps.length - 1) : open;
}

export function progressLabel(current: number, total: number): string {
  if (total === 0) return 'no steps';
  return `step ${Math.min(Math.max(current, 0), total - 1) + 1} of ${total}`;
}

/** Keeps a step index inside the lab. */
export function clampStep(index: number, total: number): number {
  return Math.min(Math.max(index, 0), Math.max(0, total - 1));
}
