// GET /api/labs — the lab catalog
import { handle, json, services } from '../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const GET = handle(async () => json(await services().labs.list()));
