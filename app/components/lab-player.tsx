'use client';
/**
 * The lab player: the lab's text on the left, the session and a terminal per
 * node on the right. Composes the session lifecycle (useLabSession), step
 * checks (useStepChecks) and step focus (useStepFocus); Step, Command and Var
 * inside the lab reach it through PlayerContext. A live region reads check
 * results, progress and status changes out to screen readers; on a phone-sized
 * screen the two panes become two tabs ("Instructions", "Terminal").
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import dynamic from 'next/dynamic';
import type { LabMeta } from '@/runtime/labs/lab-types';
import { commandKeys } from '@/app/lib/command-keys';
import { firstOpenStep } from '@/app/lib/step-progress';
import { testIds } from '@/app/lib/test-ids';
import { ErrorNotice } from './error-notice';
import { LabContent } from './lab-content';
import { PlayerContext, type PlayerContextValue, type StepInfo } from './player-context';
import { SessionPanel } from './session-panel';
import { SessionStart } from './session-start';
import { PausedSession } from './paused-session';
import { StepNav } from './step-nav';
import type { TerminalHandle } from './terminal-view';
import { useLabSession } from './use-lab-session';
import { useStepChecks } from './use-step-checks';
import { useHintReports } from './use-hint-reports';
import { useStepFocus } from './use-step-focus';
import { useAnnouncements } from './use-announcements';
import { useTerminalSettings } from './use-terminal-settings';
import { ViewSwitch, type PlayerView } from './view-switch';
import { consoleIds } from './registry-console/console-ids';

interface Props {
  meta: LabMeta;
  code: string;
  steps: StepInfo[];
  unavailableReason: string | null;
}

// xterm.js and the protocol's schemas are the bulk of the page's script: load them once there is a shell to show.
const TerminalTabs = dynamic(() => import('./terminal-tabs').then((m) => m.TerminalTabs), {
  ssr: false,
  loading: () => <p className="start-note">Loading terminals…</p>,
});

// The registry console loads only for labs with a registry, when its tab is first opened.
const RegistryConsole = dynamic(() => import('./registry-console/registry-console').then((m) => m.RegistryConsole), {
  ssr: false,
  loading: () => <p className="start-note">Loading the registry console…</p>,
});
/** The console's tab id: '#' keeps it apart from node names. */
const REGISTRY_TAB = '#registry';

/** Ctrl-C needs a moment to reach the shell and print a new prompt before the command is typed. */
const AFTER_INTERRUPT_MS = 150;

export function LabPlayer({ meta, code, steps, unavailableReason }: Props) {
  const lab = useLabSession(meta.id);
  const { session, generation, report } = lab;
  const ready = session?.status === 'ready';
  const { results, check } = useStepChecks({ session, generation, steps, report });
  const pane = useRef<HTMLElement>(null);
  const firstOpen = firstOpenStep(steps, (id) => !!results[id]?.passed);
  const focus = useStepFocus({ count: steps.length, firstOpen, scroller: pane });
  const announcements = useAnnouncements({ steps, results, session, generation });
  // Step-at-a-time mode hides every step but the current one: a hint there is not shown.
  const stepVisible = useCallback((index: number) => focus.mode !== 'step' || index === focus.current, [focus.mode, focus.current]);
  useHintReports({ labId: meta.id, session, generation, steps, results, visible: stepVisible });
  const look = useTerminalSettings();
  // Which pane a phone-sized screen shows; wider screens show both and ignore it (CSS).
  const [view, setView] = useState<PlayerView>('text');

  const [activeNode, setActiveNode] = useState(meta.nodes[0]?.name ?? '');
  const terminals = useRef(new Map<string, TerminalHandle>());
  // Run clicks that arrive before a node's terminal has mounted (its code loads
  // once the session is ready) wait here and are typed as soon as it registers.
  const waiting = useRef(new Map<string, ((terminal: TerminalHandle) => void)[]>());
  const register = useCallback((node: string, handle: TerminalHandle | null) => {
    if (!handle) {
      terminals.current.delete(node);
      return;
    }
    terminals.current.set(node, handle);
    const queued = waiting.current.get(node) ?? [];
    waiting.current.delete(node);
    for (const deliver of queued) deliver(handle);
  }, []);

  const reportError = useCallback((message: string) => report(new Error(message)), [report]);

  const run = useCallback((node: string | undefined, text: string, interrupt: boolean) => {
    // Commands without a node go to the terminal in front, or the first node while the console is.
    const target = node ?? (activeNode === REGISTRY_TAB ? meta.nodes[0]?.name ?? '' : activeNode);
    setActiveNode(target);
    setView('work');
    const notConnected = () => reportError(`The terminal on ${target} is not connected: wait for it to reconnect and click Run again.`);
    const deliver = (terminal: TerminalHandle) => {
      const [first, ...rest] = commandKeys(text, { interrupt });
      const typeRest = () => {
        for (const keys of rest) if (!terminal.send(keys)) return notConnected();
        terminal.focus();
      };
      if (first !== undefined && !terminal.send(first)) return notConnected();
      if (interrupt) setTimeout(typeRest, AFTER_INTERRUPT_MS);
      else typeRest();
    };
    const terminal = terminals.current.get(target);
    if (terminal) return deliver(terminal);
    if (!ready) return reportError(`There is no terminal for ${target} yet: start the lab first.`);
    waiting.current.set(target, [...(waiting.current.get(target) ?? []), deliver]);
  }, [activeNode, ready, reportError, meta.nodes]);

  const vars = session?.vars ?? meta.variables;
  const context: PlayerContextValue = useMemo(() => ({
    ready, vars, mode: focus.mode, current: focus.current, stepCount: steps.length, results,
    check: (id: string) => {
      announcements.asked(id);
      void check(id);
    },
    run, goTo: focus.goTo, reportError,
  }), [ready, vars, focus.mode, focus.current, focus.goTo, steps.length, results, check, run, reportError, announcements.asked]);

  const live = session && (session.status === 'starting' || session.status === 'ready');
  const stepMode = focus.mode === 'step';

  return (
    <PlayerContext.Provider value={context}>
      <main className="player" id="main" data-view={view}>
        <ViewSwitch view={view} onChange={setView} />
        <p className="sr-only" role="status" data-testid={testIds.announcer}>{announcements.message}</p>
        <section className="lab-pane" id="pane-text" ref={pane} aria-label="lab instructions">
          <StepNav title={meta.title} steps={steps} results={results} current={focus.current} mode={focus.mode}
            goTo={focus.goTo} toggleMode={focus.toggleMode} />
          <article className={`lab-text${stepMode ? ' one-step' : ''}`} data-lab-text
            data-first={stepMode && focus.current === 0 ? '' : undefined}
            data-last={stepMode && focus.current === steps.length - 1 ? '' : undefined}>
            <LabContent code={code} />
          </article>
        </section>

        <section className="work-pane" id="pane-work" aria-label="session and terminals">
          <div className="work-bar">
            <span data-testid={testIds.sessionStatus} className={`status ${session?.status ?? 'none'}`}>
              {lab.resuming ? 'loading' : session?.status ?? 'not started'}
            </span>
            {session && <span className="session-id" title="session id">{session.id}</span>}
          </div>
          <ErrorNotice message={lab.error} onDismiss={lab.dismissError} />
          {live && (
            <SessionPanel session={session} busy={lab.busy} onReset={lab.reset} onEnd={lab.end} onPause={lab.pause} onExpired={lab.refresh} onError={reportError} />
          )}
          {session?.status === 'paused'
            ? <PausedSession session={session} busy={lab.busy} onResume={lab.resume} onEnd={lab.end} onError={reportError} />
            : ready
            ? <TerminalTabs session={session} active={activeNode} generation={generation} onSelect={setActiveNode}
                register={register} onFinalClose={lab.refresh} look={look}
                extraTabs={meta.registry && session.registry
                  ? [{ id: REGISTRY_TAB, label: 'Registry', testId: consoleIds.tab, content: <RegistryConsole session={session} /> }]
                  : []} />
            : <SessionStart meta={meta} session={session} resuming={lab.resuming} busy={lab.busy}
                unavailableReason={unavailableReason} onStart={lab.start} />}
        </section>
      </main>
    </PlayerContext.Provider>
  );
}
