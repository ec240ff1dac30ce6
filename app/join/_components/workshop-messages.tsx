'use client';
/**
 * In the lab player of an attendee: the instructor's broadcast, live (SSE).
 * Renders nothing for learners outside a workshop.
 */
import { useEffect, useState } from 'react';
import { workshopKey } from './join-form';

export function WorkshopMessages({ labId }: { labId: string }) {
  const [message, setMessage] = useState<{ text: string; at: string } | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [watched, setWatched] = useState(false);
  useEffect(() => {
    const id = localStorage.getItem(workshopKey(labId));
    if (!id) return;
    const source = new EventSource(`/api/workshops/${encodeURIComponent(id)}/messages`);
    source.onmessage = (e) => {
      const data = JSON.parse(e.data) as { message: string | null; at: string | null; watched: boolean };
      setMessage(data.message ? { text: data.message, at: data.at ?? '' } : null);
      setWatched(data.watched);
    };
    source.onerror = () => {
      // Closed for good (not a seat of ours any more): stop asking.
      if (source.readyState === EventSource.CLOSED) localStorage.removeItem(workshopKey(labId));
    };
    return () => source.close();
  }, [labId]);
  const showMessage = !!message && dismissed !== message.at;
  if (!showMessage && !watched) return null;
  return (
    <div className="ws-broadcast" role="status" aria-live="polite">
      {showMessage && (
        <p data-testid="broadcast">
          <strong>From your instructor:</strong> {message.text}{' '}
          <button type="button" onClick={() => setDismissed(message.at)} aria-label="Dismiss the message">×</button>
        </p>
      )}
      {watched && <p data-testid="being-watched">👁 Your instructor is watching your terminal (read-only).</p>}
    </div>
  );
}
