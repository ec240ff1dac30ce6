'use client';
/**
 * Step results: the server's record (SessionView.steps, so a reload keeps
 * progress) merged with checks run from this page, plus background checks for
 * steps marked `auto` until they pass.
 *
 *   const { results, check } = useStepChecks({ session, generation, steps, report });
 *   check('hello');   // POST …/steps/hello/check → results.hello
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { api } from '@/app/lib/api-client';
import type { StepInfo, StepResult } from './player-context';

/** Auto-checking steps re-check this often: live enough to feel automatic, rare enough to not load the node. */
const AUTO_CHECK_MS = 5000;

interface Outcome {
  passed: boolean;
  message: string;
  at: number;
}

interface Local {
  /** Results belong to one session incarnation: a reset or a new session starts empty. */
  epoch: string;
  outcomes: Record<string, Outcome>;
  checking: Record<string, boolean>;
}

interface Options {
  session: SessionView | null;
  generation: number;
  steps: StepInfo[];
  report(err: unknown): void;
}

export function useStepChecks({ session, generation, steps, report }: Options) {
  const epoch = session ? `${session.id}/${generation}` : '';
  const [local, setLocal] = useState<Local>({ epoch, outcomes: {}, checking: {} });
  const current = local.epoch === epoch ? local : { epoch, outcomes: {}, checking: {} };
  const epochRef = useRef(epoch);
  epochRef.current = epoch;
  const inFlight = useRef(new Set<string>());

  const results = useMemo(() => {
    const merged: Record<string, StepResult> = {};
    for (const step of steps) {
      const server = session?.steps.find((s) => s.id === step.id);
      const mine = current.outcomes[step.id];
      const serverAt = server ? Date.parse(server.checkedAt) : -Infinity;
      const latest = mine && mine.at >= serverAt ? mine : server;
      merged[step.id] = {
        passed: !!server?.passed || !!mine?.passed,
        message: latest?.message ?? '',
        checking: !!current.checking[step.id],
        checked: !!latest,
        at: !latest ? undefined : latest === mine ? mine.at : serverAt,
      };
    }
    return merged;
  }, [steps, session?.steps, current]);

  const update = useCallback((forEpoch: string, change: (l: Local) => Local) => {
    setLocal((prev) => {
      if (epochRef.current !== forEpoch) return prev;
      const base = prev.epoch === forEpoch ? prev : { epoch: forEpoch, outcomes: {}, checking: {} };
      return change(base);
    });
  }, []);

  const sessionId = session?.id;
  const check = useCallback(async (stepId: string) => {
    const forEpoch = epochRef.current;
    if (!sessionId || inFlight.current.has(stepId)) return;
    inFlight.current.add(stepId);
    update(forEpoch, (l) => ({ ...l, checking: { ...l.checking, [stepId]: true } }));
    try {
      const outcome = await api.check(sessionId, stepId);
      update(forEpoch, (l) => ({ ...l, outcomes: { ...l.outcomes, [stepId]: { ...outcome, at: Date.now() } } }));
    } catch (err) {
      if (epochRef.current === forEpoch) report(err);
    } finally {
      inFlight.current.delete(stepId);
      update(forEpoch, (l) => ({ ...l, checking: { ...l.checking, [stepId]: false } }));
    }
  }, [sessionId, update, report]);

  // Auto steps check themselves while the session is ready, until they pass.
  const ready = session?.status === 'ready';
  const passedRef = useRef(results);
  passedRef.current = results;
  useEffect(() => {
    const auto = steps.filter((s) => s.autoCheck && s.hasCheck);
    if (!ready || auto.length === 0) return;
    const timer = setInterval(() => {
      for (const s of auto) if (!passedRef.current[s.id]?.passed) void check(s.id);
    }, AUTO_CHECK_MS);
    return () => clearInterval(timer);
  }, [ready, steps, check]);

  return { results, check };
}
