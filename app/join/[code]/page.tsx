// /join/:code — an attendee's way in: the join form, or a clear page saying why not.
import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import { CLIENT_HEADER } from '@/runtime/http/client-address';
import { getServicesSlot } from '@/runtime/services';
import type { AppServices } from '@/runtime/app-services';
import { JoinForm } from '../_components/join-form';
import '../../instructor/_components/workshops.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Join a workshop · labdock' };

const CODE = /^[A-Za-z0-9]{4,12}$/;

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const code = (await params).code.toUpperCase();
  const { workshops } = getServicesSlot<AppServices>();
  let w: Awaited<ReturnType<typeof workshops.lookupCode>> = null;
  try {
    // The same limits as the join itself: this page tells whether a code exists.
    w = CODE.test(code) ? await workshops.lookupCode((await headers()).get(CLIENT_HEADER), code) : null;
  } catch (err) {
    if ((err as { status?: number }).status !== 429) throw err;
    return <main className="narrow"><h1>Too many tries</h1><p data-testid="join-state" role="alert">{(err as Error).message}</p></main>;
  }
  if (!w) {
    return <main className="narrow"><h1>No such workshop</h1><p data-testid="join-state">No workshop has the code <code>{code}</code>. Check it with your instructor.</p></main>;
  }
  const mine = await workshops.attendeeOf(w.id, (await cookies()).get(`labdock_attendee_${w.id}`)?.value ?? null);
  const state = await workshops.state(w);
  const blocked = state === 'closed' || state === 'not-open' || (state === 'full' && !mine);
  return (
    <main className="narrow">
      <h1>{w.name}</h1>
      {state === 'not-open' && <p data-testid="join-state">This workshop has not opened yet: it opens at <time dateTime={w.opensAt.toISOString()}>{w.opensAt.toLocaleString()}</time>. Come back then.</p>}
      {state === 'closed' && <p data-testid="join-state">This workshop has closed.</p>}
      {state === 'full' && !mine && <p data-testid="join-state">This workshop is full: all {w.seats} seats are taken. Ask your instructor.</p>}
      {!blocked && <JoinForm code={code} askEmail={w.askEmail} rejoin={!!mine} />}
    </main>
  );
}
