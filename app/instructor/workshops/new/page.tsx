// /instructor/workshops/new — create a workshop.
import { appServices, requireInstructor } from '../../_components/instructor-session';
import { WorkshopForm } from '../../_components/workshop-form';
import '../../_components/workshops.css';

export const dynamic = 'force-dynamic';

export default async function NewWorkshop() {
  await requireInstructor();
  const labs = (await appServices().labs.list()).filter((l) => l.available).map((l) => ({ id: l.id, title: l.title }));
  const now = Date.now();
  return (
    <main className="narrow">
      <h1>New workshop</h1>
      <WorkshopForm labs={labs} initial={{
        name: '', labs: [], seats: 20, opensAt: new Date(now).toISOString(), closesAt: new Date(now + 3 * 3600_000).toISOString(),
        sessionMinutes: 120, mayExtend: false, allowEmails: [], allowDomain: null, askEmail: false, poolLeadMinutes: 10,
      }} />
    </main>
  );
}
