'use client';
/**
 * Create or edit a workshop. Times are entered in the browser's time zone and
 * sent as ISO instants; labs run in the order ticked.
 */
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { sendJson } from '@/app/lib/api-client';
import { useFormAction } from '@/app/lib/use-form-action';

export interface WorkshopFormValues {
  id?: string; name: string; labs: string[]; seats: number; opensAt: string; closesAt: string; sessionMinutes: number;
  mayExtend: boolean; allowEmails: string[]; allowDomain: string | null; askEmail: boolean; poolLeadMinutes: number;
}

/** datetime-local wants local wall time without a zone. */
const local = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function WorkshopForm({ labs, initial }: { labs: { id: string; title: string }[]; initial: WorkshopFormValues }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string[]>(initial.labs);
  const { onSubmit, busy, error } = useFormAction(async (form) => {
    const emails = String(form.get('allowEmails') ?? '').split(/[\s,;]+/).filter(Boolean);
    const body = {
      name: form.get('name'), labs: chosen, seats: Number(form.get('seats')),
      opensAt: new Date(String(form.get('opensAt'))).toISOString(), closesAt: new Date(String(form.get('closesAt'))).toISOString(),
      sessionMinutes: Number(form.get('sessionMinutes')), mayExtend: form.get('mayExtend') === 'on',
      allowEmails: emails, allowDomain: String(form.get('allowDomain') ?? '').trim() || null, askEmail: form.get('askEmail') === 'on',
      poolLeadMinutes: Number(form.get('poolLeadMinutes')),
    };
    const saved = await sendJson<{ id: string }>(initial.id ? `/api/workshops/${initial.id}` : '/api/workshops', body, initial.id ? 'PUT' : 'POST');
    router.push(`/instructor/workshops/${saved.id}`);
    router.refresh();
    return 'leaving';
  });
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <form onSubmit={onSubmit} className="ws-form">
      <label>Name <input name="name" defaultValue={initial.name} required maxLength={120} /></label>
      <fieldset>
        <legend>Labs, in the order attendees take them</legend>
        {labs.map((l) => (
          <label key={l.id} className="ws-inline">
            <input type="checkbox" name="lab" value={l.id} checked={chosen.includes(l.id)} onChange={() => toggle(l.id)} />
            {l.title} {chosen.includes(l.id) && <span>(#{chosen.indexOf(l.id) + 1})</span>}
          </label>
        ))}
      </fieldset>
      <label>Seats <input name="seats" type="number" min={1} max={500} defaultValue={initial.seats} required /></label>
      <label>Opens <input name="opensAt" type="datetime-local" defaultValue={local(initial.opensAt)} required /></label>
      <label>Closes <input name="closesAt" type="datetime-local" defaultValue={local(initial.closesAt)} required /></label>
      <label>Session length (minutes) <input name="sessionMinutes" type="number" min={5} max={1440} defaultValue={initial.sessionMinutes} required /></label>
      <label className="ws-inline"><input name="mayExtend" type="checkbox" defaultChecked={initial.mayExtend} /> Attendees may extend their session</label>
      <label>Warm the pool this many minutes before opening <input name="poolLeadMinutes" type="number" min={0} max={1440} defaultValue={initial.poolLeadMinutes} /></label>
      <label className="ws-inline"><input name="askEmail" type="checkbox" defaultChecked={initial.askEmail} /> Ask attendees for their email</label>
      <label>Only these emails (optional, one per line) <textarea name="allowEmails" rows={3} defaultValue={initial.allowEmails.join('\n')} /></label>
      <label>…or anyone at this domain (optional) <input name="allowDomain" placeholder="example.org" defaultValue={initial.allowDomain ?? ''} /></label>
      <button type="submit" disabled={!chosen.length || busy}>{initial.id ? 'Save' : 'Create workshop'}</button>
      {error && <p role="alert" className="ws-error">{error}</p>}
    </form>
  );
}
