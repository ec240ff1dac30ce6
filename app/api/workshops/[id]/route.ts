// GET /api/workshops/:id — one workshop; PUT — edit it
import { handle, json, parseJson, services } from '../../_lib/route-kit';
import { workshopInput } from '@/runtime/workshops/workshop-input';
import { workshopFor } from '../_lib/workshop-kit';

export const dynamic = 'force-dynamic';
type P = { id: string };

export const GET = handle<P>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'view');
  return json({ ...workshop, state: await services().workshops.state(workshop), pool: await services().workshops.pool.status(workshop.id) });
});

export const PUT = handle<P>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'manage');
  return json(await services().workshops.update(workshop.id, await parseJson(req, workshopInput)));
});
