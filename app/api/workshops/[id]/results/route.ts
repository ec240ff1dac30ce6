// GET /api/workshops/:id/results?format=csv|json — per attendee and step, kept after sessions end
import { handle, json, services } from '../../../_lib/route-kit';
import { resultsCsv } from '@/runtime/workshops/export-results';
import { workshopFor } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const GET = handle<{ id: string }>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'view');
  const rows = (await services().workshops.results(workshop.id)) ?? [];
  const file = `workshop-${workshop.joinCode.toLowerCase()}-results`;
  if (new URL(req.url).searchParams.get('format') === 'csv') {
    return new Response(resultsCsv(rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"`, 'cache-control': 'no-store' } });
  }
  return json({ workshop: { id: workshop.id, name: workshop.name, code: workshop.joinCode }, results: rows }, 200, { 'content-disposition': `attachment; filename="${file}.json"` });
});
