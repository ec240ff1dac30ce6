'use client';
/**
 * The attendee's one form: a display name (and email when asked) → a seat and
 * a session, then straight into the lab player, which resumes the session by
 * the id stored here (as if this browser had started it).
 */
import { sendJson } from '@/app/lib/api-client';
import { useFormAction } from '@/app/lib/use-form-action';

export const workshopKey = (labId: string) => `labdock.workshop.${labId}`;

interface Joined { workshopId: string; lab: string; sessionId: string }

export function JoinForm({ code, askEmail, rejoin }: { code: string; askEmail: boolean; rejoin: boolean }) {
  const { onSubmit, busy, error } = useFormAction(async (form) => {
    const email = String(form.get('email') ?? '').trim();
    const data = await sendJson<Joined>('/api/workshops/join', { code, displayName: String(form.get('displayName') ?? 'me'), ...(email ? { email } : {}) });
    localStorage.setItem(`labdock.session.${data.lab}`, data.sessionId);
    localStorage.setItem(workshopKey(data.lab), data.workshopId);
    window.location.assign(`/labs/${data.lab}`);
    return 'leaving';
  });
  if (rejoin) {
    return (
      <form onSubmit={onSubmit} className="ws-form">
        <input type="hidden" name="displayName" value="rejoin" />
        <p>This browser already has a seat in this workshop.</p>
        <button type="submit" disabled={busy}>Back to my lab</button>
        {error && <p role="alert" className="ws-error">{error}</p>}
      </form>
    );
  }
  return (
    <form onSubmit={onSubmit} className="ws-form">
      <label>Your name, as the instructor will see it <input name="displayName" required maxLength={60} autoComplete="nickname" /></label>
      {askEmail && <label>Email <input name="email" type="email" required autoComplete="email" /></label>}
      <button type="submit" disabled={busy}>{busy ? 'Getting your lab ready…' : 'Join'}</button>
      {error && <p role="alert" className="ws-error">{error}</p>}
    </form>
  );
}
