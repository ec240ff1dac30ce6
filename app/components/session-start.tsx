'use client';
// Before the terminals: the Start button, live start-up progress, or why it failed.
import type { LabMeta } from '@/runtime/labs/lab-types';
import type { SessionView } from '@/runtime/services';
import { testIds } from '@/app/lib/test-ids';

interface Props {
  meta: LabMeta;
  session: SessionView | null;
  resuming: boolean;
  busy: boolean;
  unavailableReason: string | null;
  onStart(): void;
}

const MARK = { pending: '○', running: '◌', done: '✓', failed: '✗' } as const;

export function SessionStart({ meta, session, resuming, busy, unavailableReason, onStart }: Props) {
  if (resuming) return <p className="start-note">Looking for your session…</p>;
  if (session?.status === 'starting') {
    return (
      <div className="start-box">
        <h2>{session.progress.some((p) => p.stage === 'resume') ? 'Resuming your lab…' : 'Starting your lab…'}</h2>
        <ProgressList progress={session.progress} />
      </div>
    );
  }
  const failed = session?.status === 'failed';
  return (
    <div className="start-box">
      {failed && (
        <div className="error" role="alert">
          <strong>The lab could not start.</strong> {session?.error}
          {session && session.progress.some((p) => p.state === 'failed') && (
            <ProgressList progress={session.progress} />
          )}
        </div>
      )}
      <h2>{meta.title}</h2>
      <ul className="start-facts">
        <li>{meta.nodes.length === 1 ? 'one node' : `${meta.nodes.length} nodes`}: {meta.nodes.map((n) => n.role ? `${n.name} (${n.role})` : n.name).join(', ')}</li>
        <li>{meta.engine === 'docker' ? 'Docker-in-Docker nodes' : 'a sandbox on this server'}{meta.registry ? ', with a private registry' : ''}</li>
        <li>about {meta.durationMinutes} minutes</li>
      </ul>
      {unavailableReason
        ? <p className="why">This lab is unavailable on this server: {unavailableReason}.</p>
        : (
          <button type="button" className="big" data-testid={testIds.startLab} disabled={busy} onClick={onStart}>
            {busy ? 'Starting…' : failed ? 'Try again' : 'Start lab'}
          </button>
        )}
    </div>
  );
}

function ProgressList({ progress }: { progress: SessionView['progress'] }) {
  return (
    <ol className="progress" aria-label="start-up progress">
      {progress.map((p) => (
        <li key={p.stage} className={p.state} data-testid={testIds.progress(p.stage)} data-state={p.state}>
          <span className="state" aria-hidden>{MARK[p.state]}</span>
          <span className="stage">{p.stage}</span>
          <span className="state-word">{p.state}</span>
          {p.error && <div className="stage-error">{p.error}</div>}
        </li>
      ))}
    </ol>
  );
}
