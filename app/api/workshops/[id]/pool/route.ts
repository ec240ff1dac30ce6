// POST /api/workshops/:id/pool — warm the pool now instead of at the lead time
import { handle, json, services } from '../../../_lib/route-kit';
import { workshopFor } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'manage');
  return json(await services().workshops.warmNow(workshop.id));
});
