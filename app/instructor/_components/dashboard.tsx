'use client';
/**
 * The live dashboard: one row per attendee, one column per step, fed by the
 * workshop's SSE stream (no reloads). Actions per attendee post to the API;
 * the stream shows their effect.
 */
import { useEffect, useState } from 'react';
import type { Dashboard as Data } from '@/runtime/workshops/build-dashboard';
import { sendJson } from '@/app/lib/api-client';
import dynamic from 'next/dynamic';

// xterm.js loads only when the instructor watches someone.
const TerminalWatch = dynamic(() => import('./terminal-watch').then((m) => m.TerminalWatch), { ssr: false });

interface Update { dashboard: Data | null; pool: { warm: number; claimed: number; refusedReason: string | null } }

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function left(seconds: number | null): string {
  if (seconds === null) return '—';
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function Dashboard({ workshopId }: { workshopId: string }) {
  const [watching, setWatching] = useState<{ sessionId: string; who: string; node: string } | null>(null);
  const [data, setData] = useState<Update | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const source = new EventSource(`/api/workshops/${workshopId}/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (e) => setData(JSON.parse(e.data) as Update);
    return () => source.close();
  }, [workshopId]);
  const act = (attendee: string, action: string) =>
    sendJson(`/api/workshops/${workshopId}/attendees/${attendee}/${action}`, {}).catch((e: Error) => setError(e.message));
  const d = data?.dashboard;
  // A workshop of several labs: the step columns grouped under each lab's title.
  const groups: { labId: string; title: string; span: number }[] = [];
  for (const s of d?.steps ?? []) {
    const last = groups.at(-1);
    if (last?.labId === s.labId) last.span++;
    else groups.push({ labId: s.labId, title: s.labTitle ?? s.labId, span: 1 });
  }
  const stepTitle = (key: string) => {
    const s = d?.steps.find((x) => x.key === key);
    return s && groups.length > 1 ? `${s.labTitle ?? s.labId}: ${s.title}` : s?.title;
  };
  const now = d ? Date.parse(d.at) : Date.now();
  return (
    <section aria-label="live dashboard">
      <p className="ws-who" data-testid="dashboard-status">
        {connected ? 'live' : 'connecting…'} · warm sessions: <span data-testid="pool-warm">{data?.pool.warm ?? 0}</span> · claimed: {data?.pool.claimed ?? 0}
        {data?.pool.refusedReason && <> · pool held back: {data.pool.refusedReason}</>}
      </p>
      {error && <p role="alert" className="ws-error">{error}</p>}
      {d && (
        <table className="ws-table" data-testid="dashboard">
          <thead>
            {groups.length > 1 && (
              <tr>
                <td colSpan={6} />
                {groups.map((g) => <th key={g.labId} colSpan={g.span} scope="colgroup" data-testid={`lab-${g.labId}`}>{g.title}</th>)}
                <td />
              </tr>
            )}
            <tr>
              <th>Seat</th><th>Attendee</th><th>Session</th><th>Current step</th><th>Time left</th><th>Last activity</th>
              {d.steps.map((s) => <th key={s.key} title={s.key}>{s.title}</th>)}
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.attendeeId} data-testid={`attendee-${r.displayName}`} className={r.stuck ? 'ws-stuck' : undefined}>
                <td>{r.seat}</td>
                <td>{r.displayName}{r.email && <><br /><small>{r.email}</small></>}{r.stuck && <><br /><strong data-testid="stuck">stuck: {r.stuck}</strong></>}</td>
                <td data-testid="session-status">{r.status}</td>
                <td data-testid="current-step">{r.currentStep ? stepTitle(r.currentStep) : 'all done'}</td>
                <td>{left(r.timeLeftSeconds)}</td>
                <td>{ago(r.lastActivityAt, now)}</td>
                {d.steps.map((s) => {
                  const c = r.cells[s.key];
                  return (
                    <td key={s.key} className={`ws-cell-${c.state}`} data-testid={`cell-${s.stepId}`} data-state={c.state}>
                      {c.state === 'passed' ? '✓ passed' : c.state === 'failing' ? `✗ failing (${c.failures})` : 'not tried'}
                      {c.state === 'failing' && c.hint && <span className="ws-hint" title={c.hint}>{c.hint}</span>}
                    </td>
                  );
                })}
                <td className="ws-actions">
                  <button type="button" onClick={() => void act(r.attendeeId, 'extend')}>Extend</button>
                  <button type="button" onClick={() => void act(r.attendeeId, 'reset')}>Reset</button>
                  <button type="button" onClick={() => void act(r.attendeeId, 'end')} data-testid="end-attendee">End</button>
                  {/* The nodes of the lab this attendee is on now. */}
                  {r.sessionId && r.status === 'ready' && r.nodes.map((n) => (
                    <button key={n} type="button" data-testid={`watch-${n}`} onClick={() => setWatching({ sessionId: r.sessionId!, who: r.displayName, node: n })}>
                      Watch{r.nodes.length > 1 ? ` ${n}` : ''}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={6}>Completed</th>
              {d.steps.map((s) => <td key={s.key} data-testid={`completions-${s.stepId}`}>{d.completions[s.key]} / {d.rows.length}</td>)}
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      {watching && (
        <>
          <button type="button" onClick={() => setWatching(null)}>Stop watching</button>
          <TerminalWatch key={`${watching.sessionId}/${watching.node}`} sessionId={watching.sessionId} node={watching.node} who={watching.who} />
        </>
      )}
    </section>
  );
}
