/**
 * What the player says through its live region (a screen reader reads it
 * out): a check's outcome with the progress it makes, and the session's
 * status changes. Pure, so the words are tested without a browser; the
 * player compares the state it rendered last with the one it renders now.
 *
 *   announceChecks(steps, before, after)  // "Step 2, Run commands: passed. 2 of 5 steps done."
 */

export interface StepLike {
  id: string;
  title: string;
}

export interface ResultLike {
  passed: boolean;
  message: string;
  checking: boolean;
  checked: boolean;
}

/**
 * One sentence per step whose check the learner asked for and that just
 * finished, or that just passed (an auto step passing on its own), then the
 * progress when it moved; null when there is nothing to say. An auto step's
 * background checks failing every few seconds are not read out: that would
 * drown everything else.
 */
export function announceChecks(steps: StepLike[], before: Record<string, ResultLike>, after: Record<string, ResultLike>, asked: ReadonlySet<string>): string | null {
  const said: string[] = [];
  steps.forEach((step, i) => {
    const was = before[step.id];
    const now = after[step.id];
    if (!now || !now.checked) return;
    const finished = !!was?.checking && !now.checking;
    const newlyPassed = now.passed && !was?.passed;
    if (!newlyPassed && !(finished && asked.has(step.id))) return;
    const outcome = now.passed ? 'passed' : `not yet. ${now.message || 'The check did not pass.'}`;
    said.push(`Step ${i + 1}, ${step.title}: ${outcome}`);
  });
  if (said.length === 0) return null;
  const doneBefore = steps.filter((s) => before[s.id]?.passed).length;
  const doneAfter = steps.filter((s) => after[s.id]?.passed).length;
  if (doneAfter !== doneBefore) {
    said.push(doneAfter === steps.length ? `All ${steps.length} steps done.` : `${doneAfter} of ${steps.length} steps done.`);
  }
  return said.map((s) => (/[.!?]$/.test(s) ? s : `${s}.`)).join(' ');
}

export interface StageLike {
  stage: string;
  state: string;
  error?: string;
}

/** Start-up stages that just finished or failed ("node node1 ready."), in the order the server lists them. */
export function announceProgress(before: StageLike[], after: StageLike[]): string | null {
  const said: string[] = [];
  for (const now of after) {
    const was = before.find((b) => b.stage === now.stage);
    if (was?.state === now.state) continue;
    if (now.state === 'done') said.push(`${now.stage} ready.`);
    else if (now.state === 'failed') said.push(`${now.stage} failed${now.error ? `: ${now.error}` : ''}.`);
  }
  return said.length ? said.join(' ') : null;
}

/** The session status as a sentence, when it changed to something worth saying. */
export function announceStatus(before: string | null, after: string | null, error?: string | null): string | null {
  if (before === after) return null;
  if (after === 'starting') return 'Starting the lab.';
  if (after === 'ready') return 'The lab is ready: its terminals are open.';
  if (after === 'failed') return `The lab could not start. ${error ?? ''}`.trim();
  if (before && !after) return 'The session has ended.';
  return null;
}
