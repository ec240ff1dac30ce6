// GET /api/labs/:id — one lab's metadata and its steps (for regression tooling and instructors)
import { handle, json, services, RouteError } from '../../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const GET = handle<{ id: string }>(async (_req, { params }) => {
  const { id } = await params;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) throw new RouteError(404, `unknown lab: ${id}`);
  const lab = await services().labs.get(id);
  if (!lab) throw new RouteError(404, `unknown lab: ${id}`);
  return json({
    ...lab.meta,
    steps: lab.steps.map((s) => ({ id: s.id, title: s.title, hasCheck: s.checks.length + s.registryChecks.length > 0, hasSolve: s.solves.length > 0, autoCheck: s.autoCheck })),
  });
});
