// The lab player page: compiled lab on the server, everything live in LabPlayer.
import { notFound } from 'next/navigation';
import { getServices } from '@/app/lib/services';
import { LabPlayer } from '@/app/components/lab-player';

export const dynamic = 'force-dynamic';

export default async function LabPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) notFound();
  const { labs } = getServices();
  const lab = await labs.get(id).catch(() => null);
  if (!lab) notFound();
  const summary = (await labs.list()).find((l) => l.id === id);
  return (
    <LabPlayer
      meta={lab.meta}
      code={lab.code}
      steps={lab.steps.map((s) => ({ id: s.id, title: s.title, hasCheck: s.checks.length > 0, autoCheck: s.autoCheck }))}
      unavailableReason={summary && !summary.available ? summary.unavailableReason ?? 'unavailable' : null}
    />
  );
}
