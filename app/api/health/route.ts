// GET /api/health — liveness plus what this server can run
import { handle, json, services } from '../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const GET = handle(async () => {
  const { engine } = services();
  return json({ status: 'ok', engine });
});
