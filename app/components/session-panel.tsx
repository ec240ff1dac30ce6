'use client';
// Session panel: hostnames and credentials with copy buttons, time left, reset and end.
import { useEffect, useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { formatRemaining } from '@/app/lib/countdown';

interface Props {
  session: SessionView;
  onReset(): void;
  onEnd(): void;
  busy: boolean;
}

function CopyValue({ value, testId, secret }: { value: string; testId?: string; secret?: boolean }) {
  const [shown, setShown] = useState(!secret);
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-value">
      <code data-testid={testId}>{shown ? value : '••••••••'}</code>
      {secret && <button type="button" className="link" onClick={() => setShown((s) => !s)}>{shown ? 'hide' : 'show'}</button>}
      <button type="button" className="link" onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        });
      }}>{copied ? 'copied' : 'copy'}</button>
    </span>
  );
}

export function SessionPanel({ session, onReset, onEnd, busy }: Props) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const until = Math.min(Date.parse(session.expiresAt), Date.parse(session.idleExpiresAt));
  const idleFirst = Date.parse(session.idleExpiresAt) < Date.parse(session.expiresAt);
  return (
    <aside className="session-panel" data-testid="session-panel">
      <dl>
        {session.nodes.map((n) => (
          <div key={n.name}>
            <dt>{n.name}</dt>
            <dd><CopyValue value={n.hostname} testId={`hostname-${n.name}`} /></dd>
          </div>
        ))}
        {session.registry && (
          <>
            <div><dt>registry</dt><dd><CopyValue value={session.registry.hostname} testId="registry-hostname" /></dd></div>
            <div><dt>username</dt><dd><CopyValue value={session.registry.username} testId="registry-username" /></dd></div>
            <div><dt>password</dt><dd><CopyValue value={session.registry.password} testId="registry-password" secret /></dd></div>
          </>
        )}
        <div>
          <dt>time left</dt>
          <dd data-testid="time-left" title={idleFirst ? 'ends early if idle: any keystroke keeps it alive' : 'session lifetime'}>
            {formatRemaining(until, now)}{idleFirst ? ' (idle)' : ''}
          </dd>
        </div>
      </dl>
      <div className="panel-actions">
        <button type="button" className="secondary" data-testid="reset-session" disabled={busy} onClick={() => {
          if (window.confirm('Reset the session? Nodes are recreated from scratch and progress starts over.')) onReset();
        }}>Reset</button>
        <button type="button" className="danger" data-testid="end-session" disabled={busy} onClick={() => {
          if (window.confirm('End the session? Its nodes are removed.')) onEnd();
        }}>End session</button>
      </div>
    </aside>
  );
}
