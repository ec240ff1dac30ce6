// GET /api/workshops — the signed-in instructor's workshops; POST — create one
import { handle, json, parseJson, services } from '../_lib/route-kit';
import { workshopInput } from '@/runtime/workshops/workshop-input';
import { assertCan } from '@/runtime/workshops/workshop-access';
import { instructor } from './_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const GET = handle(async (req) => json(await services().workshops.list(await instructor(req))));

export const POST = handle(async (req) => {
  const who = await instructor(req);
  assertCan(who, 'create');
  const input = await parseJson(req, workshopInput);
  return json(await services().workshops.create(who.id, input), 201);
});
