'use client';
// Session panel: hostnames and registry credentials to copy, time left, Pause, Reset and End.
import { useEffect, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { formatRemaining, sessionDeadline } from '@/app/lib/countdown';
import { testIds } from '@/app/lib/test-ids';
import { CopyValue } from './copy-value';

interface Props {
  session: SessionView;
  busy: boolean;
  onReset(): void;
  onEnd(): void;
  onPause(): void;
  /** Called once when the countdown reaches zero, to learn the session's fate from the server. */
  onExpired(): void;
  onError(message: string): void;
}

/** 1.2 GiB, 350 MiB: the budget is GiB-sized, the use starts small. */
function formatGiB(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export function SessionPanel({ session, busy, onReset, onEnd, onPause, onExpired, onError }: Props) {
  const [now, setNow] = useState(() => Date.now());
  const [open, setOpen] = useState(true);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const { until, idle } = sessionDeadline(session, now);
  const expired = now >= until;
  useEffect(() => {
    if (expired) onExpired();
  }, [expired, onExpired]);
  const soon = until - now < 5 * 60_000;

  return (
    <aside className={`session-panel${open ? '' : ' collapsed'}`} data-testid={testIds.sessionPanel} aria-label="session">
      <div className="panel-bar">
        <button type="button" className="icon" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} Session
        </button>
        <span className={`time-left${soon ? ' soon' : ''}`}
          title={idle ? 'Ends early when idle: typing in a terminal keeps it alive' : 'Until the session ends'}>
          <span data-testid={testIds.timeLeft}>{formatRemaining(until, now)}</span> left{idle ? ' (idle)' : ''}
        </span>
        <span className="panel-actions">
          <button type="button" className="secondary" data-testid={testIds.pauseSession} disabled={busy || session.status !== 'ready'} onClick={onPause}
            title="Stop the nodes and keep everything on them: come back later and resume where you left off">Pause</button>
          <button type="button" className="secondary" data-testid={testIds.resetSession} disabled={busy} onClick={() => {
            if (window.confirm('Reset the session? Your nodes are recreated from scratch and progress starts over.')) onReset();
          }}>Reset</button>
          <button type="button" className="danger" data-testid={testIds.endSession} disabled={busy} onClick={() => {
            if (window.confirm('End the session? Its nodes and everything on them are removed.')) onEnd();
          }}>End session</button>
        </span>
      </div>
      <dl hidden={!open}>
        {session.nodes.map((n) => (
          <div key={n.name}>
            <dt>{n.name}</dt>
            <dd><CopyValue value={n.hostname} label={`${n.name} hostname`} testId={testIds.hostname(n.name)} onError={onError} /></dd>
          </div>
        ))}
        {session.disk && (
          <div>
            <dt>disk</dt>
            <dd data-testid={testIds.diskUsage} className={session.disk.full ? 'disk-full' : undefined} role={session.disk.full ? 'alert' : undefined}>
              {session.disk.full ? 'Full: ' : ''}{formatGiB(session.disk.usedBytes)} of {formatGiB(session.disk.budgetBytes)} used
              {session.disk.full && <> — writes in your nodes now fail with “No space left on device”; delete files or images (<code>docker system prune</code>) to go on.</>}
            </dd>
          </div>
        )}
        {session.registry && (
          <>
            <div><dt>registry</dt><dd><CopyValue value={session.registry.hostname} label="registry hostname" testId={testIds.registry('hostname')} onError={onError} /></dd></div>
            <div><dt>username</dt><dd><CopyValue value={session.registry.username} label="registry username" testId={testIds.registry('username')} onError={onError} /></dd></div>
            <div><dt>password</dt><dd><CopyValue value={session.registry.password} label="registry password" testId={testIds.registry('password')} secret onError={onError} /></dd></div>
          </>
        )}
      </dl>
    </aside>
  );
}
