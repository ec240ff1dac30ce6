/**
 * Where a workshop stands for someone holding its code: the join page and the
 * join service ask the same question.
 *
 *   workshopState(w, seated, now)   // 'open' | 'not-open' | 'closed' | 'full'
 */
export type WorkshopState = 'open' | 'not-open' | 'closed' | 'full';

export function workshopState(w: { opensAt: Date; closesAt: Date; seats: number }, seated: number, now: Date): WorkshopState {
  if (now >= w.closesAt) return 'closed';
  if (now < w.opensAt) return 'not-open';
  if (seated >= w.seats) return 'full';
  return 'open';
}

/** Is this email on the workshop's allow-list (or is there none)? */
export function emailAllowed(w: { allowEmails: string; allowDomain: string | null }, email: string | undefined): boolean {
  const list = JSON.parse(w.allowEmails) as string[];
  if (!list.length && !w.allowDomain) return true;
  if (!email) return false;
  const e = email.toLowerCase();
  return list.includes(e) || (!!w.allowDomain && e.endsWith(`@${w.allowDomain}`));
}
