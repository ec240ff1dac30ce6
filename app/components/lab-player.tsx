'use client';
/**
 * The lab player: the lab's text on the left, a terminal per node on the
 * right, the session panel on top. Owns the session's lifecycle in the
 * browser: start (with progress), resume after a reload, reset, end.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LabMeta } from '@/runtime/labs/lab-types';
import type { SessionView } from '@/runtime/services';
import { api, ApiError } from '@/app/lib/api-client';
import { LabContent } from './lab-content';
import { PlayerContext, type PlayerContextValue, type StepState, type TerminalHandle } from './player-context';
import { SessionPanel } from './session-panel';
import { TerminalView } from './terminal-view';

interface StepInfo {
  id: string;
  title: string;
  hasCheck: boolean;
  autoCheck: boolean;
}

interface Props {
  meta: LabMeta;
  code: string;
  steps: StepInfo[];
  unavailableReason: string | null;
}

/** Auto-checking steps re-check this often: quick enough to feel live, slow enough to not load the node. */
const AUTO_CHECK_MS = 5000;
const POLL_MS = 500;

export function LabPlayer({ meta, code, steps, unavailableReason }: Props) {
  const storageKey = `labdock.session.${meta.id}`;
  const [session, setSession] = useState<SessionView | null>(null);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, StepState>>({});
  const [activeNode, setActiveNode] = useState(meta.nodes[0]?.name ?? '');
  const [mode, setMode] = useState<'page' | 'step'>('page');
  const [selected, setSelected] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);
  const terminals = useRef(new Map<string, TerminalHandle>());

  const report = (err: unknown) => setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));

  const adopt = useCallback((view: SessionView) => {
    setSession(view);
    setResults((prev) => {
      const next = { ...prev };
      for (const s of view.steps) if (!next[s.id]?.checking) next[s.id] = { passed: s.passed, message: s.message, checking: false };
      return next;
    });
  }, []);

  // Resume the session this browser had for this lab, if it still runs.
  useEffect(() => {
    const id = localStorage.getItem(storageKey);
    if (!id) return setLoading(false);
    api.get(id)
      .then((view) => {
        if (view.status === 'starting' || view.status === 'ready') adopt(view);
        else localStorage.removeItem(storageKey);
      })
      .catch(() => localStorage.removeItem(storageKey))
      .finally(() => setLoading(false));
  }, [storageKey, adopt]);

  // While starting, poll for progress.
  useEffect(() => {
    if (session?.status !== 'starting') return;
    const t = setInterval(() => {
      api.get(session.id).then(adopt).catch(report);
    }, POLL_MS);
    return () => clearInterval(t);
  }, [session?.id, session?.status, adopt]);

  // Keep time-left honest: refresh the session view every 30 s.
  useEffect(() => {
    if (session?.status !== 'ready') return;
    const t = setInterval(() => api.get(session.id).then(adopt).catch(() => undefined), 30_000);
    return () => clearInterval(t);
  }, [session?.id, session?.status, adopt]);

  const start = async () => {
    setError(null);
    setBusy(true);
    try {
      const view = await api.start(meta.id);
      localStorage.setItem(storageKey, view.id);
      setResults({});
      adopt(view);
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const end = async () => {
    if (!session) return;
    setBusy(true);
    try {
      await api.end(session.id);
      localStorage.removeItem(storageKey);
      setSession(null);
      setResults({});
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    if (!session) return;
    setBusy(true);
    try {
      const view = await api.reset(session.id);
      setResults({});
      adopt(view);
      setGeneration((g) => g + 1);
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const ready = session?.status === 'ready';

  const check = useCallback(async (stepId: string) => {
    if (!session) return null;
    setResults((r) => ({ ...r, [stepId]: { passed: r[stepId]?.passed ?? false, message: r[stepId]?.message ?? '', checking: true } }));
    try {
      const outcome = await api.check(session.id, stepId);
      setResults((r) => ({ ...r, [stepId]: { passed: outcome.passed || !!r[stepId]?.passed, message: outcome.message, checking: false } }));
      return outcome;
    } catch (err) {
      setResults((r) => ({ ...r, [stepId]: { passed: false, message: err instanceof Error ? err.message : String(err), checking: false } }));
      return null;
    }
  }, [session]);

  // Steps marked auto check themselves until they pass.
  useEffect(() => {
    if (!ready) return;
    const pending = steps.filter((s) => s.autoCheck && s.hasCheck && !results[s.id]?.passed);
    if (!pending.length) return;
    const t = setInterval(() => {
      for (const s of pending) void check(s.id);
    }, AUTO_CHECK_MS);
    return () => clearInterval(t);
  }, [ready, steps, results, check]);

  const register = useCallback((node: string, handle: TerminalHandle | null) => {
    if (handle) terminals.current.set(node, handle);
    else terminals.current.delete(node);
  }, []);

  const runInNode = useCallback((node: string | undefined, text: string, interrupt: boolean) => {
    const target = node ?? activeNode;
    const term = terminals.current.get(target);
    if (!term) return setError(`no terminal for node ${target}`);
    setActiveNode(target);
    if (interrupt) term.send('\x03');
    // Ctrl-C needs a moment to reach the shell before the next command is typed.
    setTimeout(() => {
      term.send(`${text.replace(/\r?\n/g, '\r')}\r`);
      term.focus();
    }, interrupt ? 150 : 0);
  }, [activeNode]);

  const firstOpen = steps.findIndex((s) => !results[s.id]?.passed);
  const currentStep = selected ?? (firstOpen === -1 ? steps.length - 1 : firstOpen);
  const passedCount = steps.filter((s) => results[s.id]?.passed).length;

  const context: PlayerContextValue = useMemo(() => ({
    ready, vars: session?.vars ?? meta.variables, mode, currentStep, results, check, runInNode,
    selectStep: (i: number) => setSelected(i),
  }), [ready, session?.vars, meta.variables, mode, currentStep, results, check, runInNode]);

  return (
    <PlayerContext.Provider value={context}>
      <main className="player">
        <section className="lab-pane">
          <header className="lab-header">
            <h1>{meta.title}</h1>
            <div className="step-nav">
              <span data-testid="step-progress">step {Math.min(currentStep + 1, steps.length)} of {steps.length} · {passedCount} done</span>
              <button type="button" className="link" disabled={currentStep <= 0} onClick={() => setSelected(Math.max(0, currentStep - 1))}>‹ prev</button>
              <button type="button" className="link" disabled={currentStep >= steps.length - 1} onClick={() => setSelected(Math.min(steps.length - 1, currentStep + 1))}>next ›</button>
              <button type="button" className="link" data-testid="mode-toggle" onClick={() => setMode((m) => (m === 'page' ? 'step' : 'page'))}>
                {mode === 'page' ? 'one step at a time' : 'whole page'}
              </button>
            </div>
            <ol className="step-markers">
              {steps.map((s, i) => (
                <li key={s.id} className={`${results[s.id]?.passed ? 'done' : ''}${i === currentStep ? ' current' : ''}`}>
                  <a href={`#step-${s.id}`} onClick={() => setSelected(i)} title={s.title}>{i + 1}</a>
                </li>
              ))}
            </ol>
          </header>
          {error && (
            <div className="error" role="alert" data-testid="error">
              {error} <button type="button" className="link" onClick={() => setError(null)}>dismiss</button>
            </div>
          )}
          <article className="lab-text"><LabContent code={code} /></article>
        </section>

        <section className="work-pane">
          {session && (session.status === 'ready' || session.status === 'starting') && (
            <SessionPanel session={session} onReset={() => void reset()} onEnd={() => void end()} busy={busy} />
          )}
          <div className="session-state">
            <span data-testid="session-status" className={`status ${session?.status ?? 'none'}`}>
              {loading ? 'loading' : session?.status ?? 'not started'}
            </span>
            {!loading && (!session || session.status === 'failed' || session.status === 'ended') && (
              unavailableReason
                ? <span className="why">This lab is unavailable here: {unavailableReason}</span>
                : <button type="button" data-testid="start-lab" disabled={busy} onClick={() => void start()}>
                    {session?.status === 'failed' ? 'Try again' : 'Start lab'}
                  </button>
            )}
          </div>
          {session?.status === 'failed' && <div className="error" role="alert">Could not start the session: {session.error}</div>}
          {session?.status === 'starting' && (
            <ol className="progress" aria-label="start-up progress">
              {session.progress.map((p) => (
                <li key={p.stage} className={p.state} data-testid={`progress-${p.stage.replace(/\s+/g, '-')}`}>
                  <span className="state">{p.state === 'done' ? '✓' : p.state === 'failed' ? '✗' : p.state === 'running' ? '…' : '·'}</span> {p.stage}
                  {p.error && <span className="hint"> — {p.error}</span>}
                </li>
              ))}
            </ol>
          )}
          {ready && session && (
            <div className="terminals">
              <div className="tabs" role="tablist">
                {session.nodes.map((n) => (
                  <button key={n.name} type="button" role="tab" aria-selected={activeNode === n.name} data-testid={`terminal-tab-${n.name}`}
                    className={activeNode === n.name ? 'active' : ''} onClick={() => setActiveNode(n.name)}>
                    {n.name}{n.hostname !== n.name ? ` (${n.hostname})` : ''}
                  </button>
                ))}
              </div>
              {session.nodes.map((n) => (
                <TerminalView key={`${n.name}-${generation}`} sessionId={session.id} node={n.name} visible={activeNode === n.name}
                  generation={generation} register={register} />
              ))}
            </div>
          )}
        </section>
      </main>
    </PlayerContext.Provider>
  );
}
