'use client';
// Warm the pool now, and broadcast a message to every attendee's player.
import { useState } from 'react';
import { sendJson } from '@/app/lib/api-client';

export function WorkshopControls({ workshopId }: { workshopId: string }) {
  const [note, setNote] = useState<string | null>(null);
  async function warm() {
    try {
      const s = await sendJson<{ warm: number; refusedReason: string | null }>(`/api/workshops/${workshopId}/pool`, {});
      setNote(`pool: ${s.warm} warm${s.refusedReason ? ` (held back: ${s.refusedReason})` : ''}`);
    } catch (err) {
      setNote((err as Error).message);
    }
  }
  async function broadcast(form: FormData) {
    try {
      await sendJson(`/api/workshops/${workshopId}/broadcast`, { message: String(form.get('message') ?? '') });
      setNote('message sent');
    } catch (err) {
      setNote((err as Error).message);
    }
  }
  return (
    <div className="ws-form">
      <div className="ws-inline"><button type="button" onClick={() => void warm()}>Warm the pool now</button></div>
      <form action={broadcast} className="ws-inline">
        <label className="ws-inline">Message to everyone <input name="message" maxLength={500} size={50} /></label>
        <button type="submit">Broadcast</button>
      </form>
      {note && <p role="status" data-testid="controls-note">{note}</p>}
    </div>
  );
}
