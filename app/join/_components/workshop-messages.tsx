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
  useEffect(() => {
    const id = localStorage.getItem(workshopKey(labId));
    if (!id) return;
    const source = new EventSource(`/api/workshops/${encodeURIComponent(id)}/messages`);
    source.onmessage = (e) => {
      const data = JSON.parse(e.data) as { message: string | null; at: string | null };
      setMessage(data.message ? { text: data.message, at: data.at ?? '' } : null);
    };
    source.onerror = () => {
      // Closed for good (not a seat of ours any more): stop asking.
      if (source.readyState === EventSource.CLOSED) localStorage.removeItem(workshopKey(labId));
    };
    return () => source.close();
  }, [labId]);
  if (!message || dismissed === message.at) return null;
  return (
    <div className="ws-broadcast" role="status" aria-live="polite" data-testid="broadcast">
      <strong>From your instructor:</strong> {message.text}{' '}
      <button type="button" onClick={() => setDismissed(message.at)} aria-label="Dismiss the message">×</button>
    </div>
  );
}
