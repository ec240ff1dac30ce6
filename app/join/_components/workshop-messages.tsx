'use client';
/**
 * In the lab player of an attendee: the instructor's broadcast, live (SSE).
 * Renders nothing for learners outside a workshop.
 */
import { useEffect, useState } from 'react';
import { workshopKey } from './join-form';
import { errorText, sendJson } from '@/app/lib/api-client';

export function WorkshopMessages({ labId }: { labId: string }) {
  const [message, setMessage] = useState<{ text: string; at: string } | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [watched, setWatched] = useState(false);
  const [mayExtend, setMayExtend] = useState(false);
  const [next, setNext] = useState<{ id: string; title: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [workshopId, setWorkshopId] = useState<string | null>(null);
  useEffect(() => {
    const id = localStorage.getItem(workshopKey(labId));
    if (!id) return;
    setWorkshopId(id);
    const source = new EventSource(`/api/workshops/${encodeURIComponent(id)}/messages`);
    source.onmessage = (e) => {
      const data = JSON.parse(e.data) as { message: string | null; at: string | null; watched: boolean; mayExtend: boolean; nextLab: { id: string; title: string } | null };
      setMayExtend(data.mayExtend);
      setNext(data.nextLab);
      setMessage(data.message ? { text: data.message, at: data.at ?? '' } : null);
      setWatched(data.watched);
    };
    source.onerror = () => {
      // Closed for good (not a seat of ours any more): stop asking.
      if (source.readyState === EventSource.CLOSED) localStorage.removeItem(workshopKey(labId));
    };
    return () => source.close();
  }, [labId]);
  const workshopPath = `/api/workshops/${encodeURIComponent(workshopId ?? '')}`;
  async function extend() {
    try {
      const data = await sendJson<{ expiresAt: string }>(`${workshopPath}/extend`, {});
      setNote(`Extended: your session now ends at ${new Date(data.expiresAt).toLocaleTimeString()}.`);
    } catch (err) {
      setNote(errorText(err));
    }
  }
  async function moveOn() {
    try {
      const data = await sendJson<{ workshopId: string; lab: string; sessionId: string }>(`${workshopPath}/next`, {});
      localStorage.removeItem(`labdock.session.${labId}`);
      localStorage.setItem(`labdock.session.${data.lab}`, data.sessionId);
      localStorage.setItem(workshopKey(data.lab), data.workshopId);
      window.location.assign(`/labs/${data.lab}`);
    } catch (err) {
      setNote(errorText(err));
    }
  }
  const showMessage = !!message && dismissed !== message.at;
  if (!showMessage && !watched && !mayExtend && !next) return null;
  return (
    <div className="ws-broadcast" role="status" aria-live="polite">
      {showMessage && (
        <p data-testid="broadcast">
          <strong>From your instructor:</strong> {message.text}{' '}
          <button type="button" onClick={() => setDismissed(message.at)} aria-label="Dismiss the message">×</button>
        </p>
      )}
      {next && <p><button type="button" onClick={() => void moveOn()} data-testid="next-lab">Next lab: {next.title} →</button></p>}
      {mayExtend && <p><button type="button" onClick={() => void extend()} data-testid="extend-own">Extend my session by 15 minutes</button> {note}</p>}
      {watched && <p data-testid="being-watched">👁 Your instructor is watching your terminal (read-only).</p>}
    </div>
  );
}
