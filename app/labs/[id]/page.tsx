// /labs/:id — the lab player: the lab compiled on the server, everything live in LabPlayer.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getServices } from '@/app/lib/services';
import { LabPlayer } from '@/app/components/lab-player';
import { WorkshopMessages } from '@/app/join/_components/workshop-messages';
import '@/app/instructor/_components/workshops.css';
import type { CompiledLab } from '@/runtime/labs/lab-types';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The lab, null when there is none, or the compiler's complaint when its files are broken. */
async function loadLab(id: string): Promise<CompiledLab | null | { broken: string }> {
  if (!LAB_ID.test(id)) return null;
  try {
    return await getServices().labs.get(id);
  } catch (err) {
    // LabError comes from runtime's copy of the class: recognise it by name.
    if ((err as Error).name === 'LabError') return { broken: (err as Error).message };
    throw err;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const lab = await loadLab((await params).id).catch(() => null);
  return { title: lab && 'meta' in lab ? `${lab.meta.title} · labdock` : 'labdock' };
}

export default async function LabPage({ params }: Params) {
  const { id } = await params;
  const lab = await loadLab(id);
  if (!lab) notFound();
  if ('broken' in lab) {
    return (
      <main className="narrow" id="main">
        <h1>This lab does not compile</h1>
        <p>Fix these problems in the lab&apos;s files (<code>npm run labs:lint</code> lists them too):</p>
        <pre className="lint">{lab.broken}</pre>
      </main>
    );
  }
  const summary = (await getServices().labs.list()).find((l) => l.id === id);
  return (
    <>
    <WorkshopMessages labId={id} />
    <LabPlayer
      meta={lab.meta}
      code={lab.code}
      steps={lab.steps.map((s) => ({ id: s.id, title: s.title, hasCheck: s.checks.length > 0, autoCheck: s.autoCheck }))}
      unavailableReason={summary && !summary.available ? summary.unavailableReason ?? 'not available on this server' : null}
    />
    </>
  );
}
