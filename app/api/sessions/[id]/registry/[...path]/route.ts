// GET|POST|PUT|PATCH|DELETE /api/sessions/:id/registry/<api/v0/…|v2/_catalog|v2/<repo>/tags/list>
// — the registry console: one request to the session's registry node, as the registry user
// named by X-Registry-Authorization; the registry's status and JSON come back unchanged.
import { authorizeSession, handle, isJsonType, json, readBody, RouteError, services } from '../../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

type Params = { id: string; path: string[] };

/** 64 KiB, as the console service enforces; counted here while it streams in, so a huge upload is never read whole. */
const MAX_BODY = 64 * 1024;

const forward = handle<Params>(async (req, { params }) => {
  const { id } = await params;
  const session = await authorizeSession(req, id);
  // The raw (still percent-encoded) path after /registry: the allow-list sees exactly what is forwarded.
  const url = new URL(req.url);
  const prefix = `/api/sessions/${id}/registry`;
  if (!url.pathname.startsWith(`${prefix}/`)) throw new RouteError(400, 'name a registry path after /registry/');
  let body: string | undefined;
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
    body = await readBody(req, MAX_BODY);
    if (body && !isJsonType(req.headers.get('content-type'))) throw new RouteError(415, 'send the body as application/json');
  }
  const answer = await services().registryConsole.forward(session, {
    method: req.method,
    path: url.pathname.slice(prefix.length),
    search: url.search,
    body,
    authorization: req.headers.get('x-registry-authorization'),
  });
  // Never WWW-Authenticate: a registry 401 must not open the browser's own login dialog.
  if (answer.status === 204 || answer.body === null) return new Response(null, { status: answer.status === 200 ? 204 : answer.status, headers: { 'cache-control': 'no-store' } });
  return json(answer.body, answer.status);
});

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
