'use client';
/**
 * Tells the server which hints the learner was actually shown, for a
 * workshop's "hints shown": a failed check's message counts when it is on
 * screen — its step's section not hidden (step-at-a-time mode shows one) —
 * once per check the learner ran; an auto-checking step that keeps failing
 * with the same words in the background counts once. Only attendees of
 * a workshop report (the join stored the workshop for this lab); the server
 * counts at most one hint per failed check.
 *
 *   useHintReports({ labId, session, generation, steps, results, visible: (i) => … });
 */
import { useEffect, useRef } from 'react';
import type { SessionView } from '@/runtime/services';
import { api } from '@/app/lib/api-client';
import { workshopKey } from '@/app/join/_components/join-form';
import type { StepInfo, StepResult } from './player-context';

interface Options {
  labId: string;
  session: SessionView | null;
  generation: number;
  steps: StepInfo[];
  results: Record<string, StepResult>;
  /** Whether the step at this index is shown to the learner now. */
  visible(index: number): boolean;
}

export function useHintReports({ labId, session, generation, steps, results, visible }: Options) {
  const reported = useRef({ epoch: '', keys: new Set<string>() });
  const sessionId = session?.id;
  useEffect(() => {
    if (!sessionId || !localStorage.getItem(workshopKey(labId))) return;
    const epoch = `${sessionId}/${generation}`;
    if (reported.current.epoch !== epoch) reported.current = { epoch, keys: new Set() };
    steps.forEach((step, index) => {
      const r = results[step.id];
      if (!step.hasCheck || !r?.checked || r.passed || r.checking || !r.message || !visible(index)) return;
      // A new check is a new hint shown, even in the same words; background re-checks of an auto step are not.
      const key = step.autoCheck ? `${step.id}\u0000${r.message}` : `${step.id}\u0000${r.at ?? r.message}`;
      if (reported.current.keys.has(key)) return;
      reported.current.keys.add(key);
      // Best effort: a lost report is one hint less in the results, never an error in the learner's face.
      api.hintShown(sessionId, step.id, r.message).catch(() => undefined);
    });
  }, [labId, sessionId, generation, steps, results, visible]);
}
