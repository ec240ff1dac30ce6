'use client';
/**
 * The attendee's one form: a display name (and email when asked) → a seat and
 * a session, then straight into the lab player, which resumes the session by
 * the id stored here (as if this browser had started it).
 */
import { useState } from 'react';
import { onFormSubmit } from '@/app/lib/on-form-submit';

export const workshopKey = (labId: string) => `labdock.workshop.${labId}`;

export function JoinForm({ code, askEmail, rejoin }: { code: string; askEmail: boolean; rejoin: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    try {
      const email = String(form.get('email') ?? '').trim();
      const res = await fetch('/api/workshops/join', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, displayName: String(form.get('displayName') ?? 'me'), ...(email ? { email } : {}) }),
      });
      const data = await res.json();
      if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
      localStorage.setItem(`labdock.session.${data.lab}`, data.sessionId);
      localStorage.setItem(workshopKey(data.lab), data.workshopId);
      window.location.assign(`/labs/${data.lab}`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }
  if (rejoin) {
    return (
      <form onSubmit={onFormSubmit(submit)} className="ws-form">
        <input type="hidden" name="displayName" value="rejoin" />
        <p>This browser already has a seat in this workshop.</p>
        <button type="submit" disabled={busy}>Back to my lab</button>
        {error && <p role="alert" className="ws-error">{error}</p>}
      </form>
    );
  }
  return (
    <form onSubmit={onFormSubmit(submit)} className="ws-form">
      <label>Your name, as the instructor will see it <input name="displayName" required maxLength={60} autoComplete="nickname" /></label>
      {askEmail && <label>Email <input name="email" type="email" required autoComplete="email" /></label>}
      <button type="submit" disabled={busy}>{busy ? 'Getting your lab ready…' : 'Join'}</button>
      {error && <p role="alert" className="ws-error">{error}</p>}
    </form>
  );
}
