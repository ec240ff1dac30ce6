// /resume/:id#secret — open a paused (or live) session in this browser from its resume link.
import { ResumeClaim } from './resume-claim';

export const dynamic = 'force-dynamic';

export default async function ResumePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main className="catalog" id="main">
      <h1>Resume a lab</h1>
      <ResumeClaim id={id} />
    </main>
  );
}
