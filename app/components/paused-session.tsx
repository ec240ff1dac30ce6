'use client';
// A paused session: what is kept and until when, Resume, and a link to resume it in another browser (shown once).
import { useState } from 'react';
import type { SessionView } from '@/runtime/services';
import { api, errorText } from '@/app/lib/api-client';
import { testIds } from '@/app/lib/test-ids';
import { CopyValue } from './copy-value';

interface Props {
  session: SessionView;
  busy: boolean;
  onResume(): void;
  onEnd(): void;
  onError(message: string): void;
}

const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : 'unknown');

export function PausedSession({ session, busy, onResume, onEnd, onError }: Props) {
  const [link, setLink] = useState<string | null>(null);
  const [making, setMaking] = useState(false);
  const makeLink = () => {
    setMaking(true);
    api.resumeLink(session.id).then(({ path, secret }) => {
      // The secret rides in the #fragment: browsers never send it to a server, a proxy log or a Referer.
      setLink(`${window.location.origin}${path}#${secret}`);
    }, (err: unknown) => onError(errorText(err))).finally(() => setMaking(false));
  };
  const passed = session.steps.filter((s) => s.passed).length;
  return (
    <div className="start-box" data-testid={testIds.pausedBox} role="region" aria-label="paused session">
      <h2>Your lab is paused</h2>
      {session.error && <div className="error" role="alert">{session.error}</div>}
      <p>
        Its nodes are stopped. Files, images inside the nodes{session.registry ? ', the registry and its signing keys' : ''} and
        your progress ({passed} step{passed === 1 ? '' : 's'} passed) are kept until <strong>{when(session.deleteAfter)}</strong>, then deleted.
      </p>
      <button type="button" className="big" data-testid={testIds.resumeSession} disabled={busy} onClick={onResume}>
        {busy ? 'Resuming…' : 'Resume lab'}
      </button>
      <h3>Continue in another browser</h3>
      {link
        ? (
          <p>
            <CopyValue value={link} label="resume link" testId={testIds.resumeLink} secret onError={onError} />
            <br />Shown once: anyone with it can open this session. Opening it moves the session to that browser; a new link replaces this one.
          </p>
        )
        : <button type="button" className="secondary" data-testid={testIds.resumeLinkButton} disabled={making} onClick={makeLink}>Get a resume link</button>}
      <p>
        <button type="button" className="danger" data-testid={testIds.endSession} disabled={busy} onClick={() => {
          if (window.confirm('Delete the paused session? Its nodes and everything on them are removed.')) onEnd();
        }}>Delete session</button>
      </p>
    </div>
  );
}
