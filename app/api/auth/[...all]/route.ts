// /api/auth/* — instructor sign-in, sign-out and session (better-auth's own routes)
import { services } from '../../_lib/route-kit';

export const dynamic = 'force-dynamic';

const handler = (req: Request) => services().auth.handler(req);
export const GET = handler;
export const POST = handler;
