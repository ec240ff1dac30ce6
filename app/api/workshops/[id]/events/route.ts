// GET /api/workshops/:id/events — the live dashboard as Server-Sent Events
import { handle, services } from '../../../_lib/route-kit';
import { sseResponse, workshopFor } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const GET = handle<{ id: string }>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'view');
  const { workshops } = services();
  return sseResponse(req, workshop.id, async () => ({ dashboard: await workshops.dashboard(workshop.id), pool: await workshops.pool.status(workshop.id) }));
});
