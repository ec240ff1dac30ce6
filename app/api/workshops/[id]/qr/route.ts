// GET /api/workshops/:id/qr — the join link as an SVG QR code, for the projector
import QRCode from 'qrcode';
import { handle } from '../../../_lib/route-kit';
import { joinUrl } from '@/runtime/workshops/join-url';
import { services } from '../../../_lib/route-kit';
import { workshopFor } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const GET = handle<{ id: string }>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'view');
  const svg = await QRCode.toString(joinUrl(services().config, req.headers, workshop.joinCode), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return new Response(svg, { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' } });
});
