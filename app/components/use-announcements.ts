'use client';
/**
 * The player's live region text: check outcomes with progress, and session
 * status changes (app/lib/announcements.ts words them). A new session or a
 * reset starts a fresh baseline, so results restored on reload are not read
 * out as if they had just happened.
 *
 *   const { message, asked } = useAnnouncements({ steps, results, session, generation });
 *   asked('hello');            // the learner pressed Check: its result is read, pass or fail
 *   <p role="status">{message}</p>
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { announceChecks, announceProgress, announceStatus, type StageLike } from '@/app/lib/announcements';
import type { StepInfo, StepResult } from './player-context';

interface Options {
  steps: StepInfo[];
  results: Record<string, StepResult>;
  session: SessionView | null;
  generation: number;
}

export function useAnnouncements({ steps, results, session, generation }: Options): { message: string; asked(stepId: string): void } {
  const [said, setSaid] = useState({ text: '', n: 0 });
  // What the effects of one commit say joins into one message (they run back to back, before any
  // microtask), instead of the last one replacing the others.
  const queue = useRef<string[]>([]);
  const say = (text: string | null) => {
    if (!text) return;
    if (queue.current.push(text) > 1) return;
    queueMicrotask(() => {
      const joined = queue.current.join(' ');
      queue.current = [];
      setSaid((p) => ({ text: joined, n: p.n + 1 }));
    });
  };

  const epoch = session ? `${session.id}/${generation}` : '';
  const last = useRef<{ epoch: string; results: Record<string, StepResult> } | null>(null);
  // Steps whose Check the learner pressed and whose result has not been read yet.
  const pending = useRef(new Set<string>());
  const asked = useCallback((stepId: string) => void pending.current.add(stepId), []);
  useEffect(() => {
    const before = last.current;
    last.current = { epoch, results };
    if (!before || before.epoch !== epoch) return;
    say(announceChecks(steps, before.results, results, pending.current));
    for (const step of steps) {
      const was = before.results[step.id];
      if (was?.checking && !results[step.id]?.checking) pending.current.delete(step.id);
    }
  }, [epoch, results, steps]);

  const status = session?.status ?? null;
  const lastStatus = useRef<string | null>(null);
  useEffect(() => {
    const before = lastStatus.current;
    lastStatus.current = status;
    say(announceStatus(before, status, session?.error));
  }, [status, session?.error]);

  // While the lab starts, each stage as it finishes (what the progress list shows).
  const progress = session?.status === 'starting' ? session.progress : null;
  const lastProgress = useRef<StageLike[]>([]);
  useEffect(() => {
    if (!progress) return;
    const before = lastProgress.current;
    lastProgress.current = progress;
    say(announceProgress(before, progress));
  }, [progress]);

  // The same words twice in a row must still be read: a trailing no-break space changes the text.
  return { message: said.text + (said.n % 2 ? '\u00a0' : ''), asked };
}
