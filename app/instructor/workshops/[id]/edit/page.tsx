// /instructor/workshops/:id/edit — change a workshop (seats never below those taken).
import { notFound } from 'next/navigation';
import { can } from '@/runtime/workshops/workshop-access';
import { appServices, requireInstructor } from '../../../_components/instructor-session';
import { WorkshopForm } from '../../../_components/workshop-form';
import '../../../_components/workshops.css';

export const dynamic = 'force-dynamic';

export default async function EditWorkshop({ params }: { params: Promise<{ id: string }> }) {
  const who = await requireInstructor();
  const { workshops, labs } = appServices();
  const w = await workshops.find((await params).id);
  if (!w || !can(who, 'manage', w)) notFound();
  const available = (await labs.list()).filter((l) => l.available).map((l) => ({ id: l.id, title: l.title }));
  return (
    <main className="narrow">
      <h1>Edit {w.name}</h1>
      <WorkshopForm labs={available} initial={{
        id: w.id, name: w.name, labs: JSON.parse(w.labIds) as string[], seats: w.seats, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString(),
        sessionMinutes: w.sessionMinutes, mayExtend: w.mayExtend, allowEmails: JSON.parse(w.allowEmails) as string[], allowDomain: w.allowDomain,
        askEmail: w.askEmail, poolLeadMinutes: w.poolLeadMinutes,
      }} />
    </main>
  );
}
