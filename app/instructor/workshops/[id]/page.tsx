// /instructor/workshops/:id — the projector view (code, link, QR), controls, live dashboard and results.
import Link from 'next/link';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import QRCode from 'qrcode';
import { can } from '@/runtime/workshops/workshop-access';
import { joinUrl } from '@/runtime/workshops/join-url';
import { appServices, requireInstructor } from '../../_components/instructor-session';
import { Dashboard } from '../../_components/dashboard';
import { WorkshopControls } from '../../_components/workshop-controls';
import '../../_components/workshops.css';

export const dynamic = 'force-dynamic';

export default async function WorkshopPage({ params }: { params: Promise<{ id: string }> }) {
  const who = await requireInstructor();
  const { workshops, config } = appServices();
  const w = await workshops.find((await params).id);
  if (!w || !can(who, 'view', w)) notFound();
  const link = joinUrl(config, await headers(), w.joinCode);
  const qr = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return (
    <main className="catalog">
      <p><Link href="/instructor">← Workshops</Link></p>
      <h1>{w.name}</h1>
      <p className="ws-who">
        {(JSON.parse(w.labIds) as string[]).join(' → ')} · {w.seats} seats · {w.opensAt.toLocaleString()} – {w.closesAt.toLocaleString()} ·
        {' '}{w.sessionMinutes} min sessions · <span data-testid="workshop-state">{await workshops.state(w)}</span> · <Link href={`/instructor/workshops/${w.id}/edit`}>edit</Link>
      </p>
      <div className="ws-projector">
        <div>
          <p>Join at <a href={link} data-testid="join-link">{link}</a></p>
          <p>or type the code on the home page:</p>
          <p className="ws-code" data-testid="join-code">{w.joinCode}</p>
        </div>
        <div className="ws-qr" role="img" aria-label={`QR code for ${link}`} dangerouslySetInnerHTML={{ __html: qr }} />
      </div>
      <WorkshopControls workshopId={w.id} />
      <h2>Attendees</h2>
      <Dashboard workshopId={w.id} />
      <p>
        Results: <a href={`/api/workshops/${w.id}/results?format=csv`} data-testid="export-csv" download>CSV</a> ·{' '}
        <a href={`/api/workshops/${w.id}/results?format=json`} download>JSON</a>
      </p>
    </main>
  );
}
