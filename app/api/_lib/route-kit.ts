/**
 * The few things every route handler does: reach the services, parse a body
 * with zod, authorize a session request, and turn errors into JSON.
 *
 *   export const POST = handle(async (req, { params }) => {
 *     const body = await parseJson(req, schema);
 *     ...
 *     return json(result, 201);
 *   });
 */
import 'server-only';
import type { z } from 'zod';
import { getServicesSlot } from '@/runtime/services';
import type { AppServices } from '@/runtime/app-services';
import { originAllowed, presentedToken } from '@/runtime/http/auth';

export function services(): AppServices {
  return getServicesSlot<AppServices>();
}

export class RouteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
}

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

/** Wraps a handler so every failure becomes `{error}` JSON with the right status, never an HTML page. */
export function handle<P>(fn: Handler<P>): Handler<P> {
  return async (req, ctx) => {
    try {
      return await fn(req, ctx);
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500 && status !== 503) console.error(`[api] ${req.method} ${new URL(req.url).pathname}:`, err);
      return json({ error: status >= 500 && status !== 503 ? `internal error: ${(err as Error).message}` : (err as Error).message }, status);
    }
  };
}

// Services throw runtime's HttpError; Next bundles its own copy of that class,
// so recognise it by shape rather than instanceof.
function statusOf(err: unknown): number {
  const e = err as { name?: string; status?: unknown };
  if ((e?.name === 'HttpError' || err instanceof RouteError) && typeof e.status === 'number') return e.status;
  return 500;
}

export async function parseJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) throw new RouteError(415, 'send the body as application/json');
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new RouteError(400, 'body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new RouteError(400, `invalid body: ${first.path.join('.') || '(body)'}: ${first.message}`);
  }
  return parsed.data;
}

/**
 * The session a request may act on: its token must match (bearer or cookie).
 * Cookie-authenticated writes must come from our own origin (CSRF). Unknown
 * session and wrong token both answer 404, so ids reveal nothing.
 */
export async function authorizeSession(req: Request, id: string) {
  const token = presentedToken((name) => req.headers.get(name), id);
  if (token?.via === 'cookie' && req.method !== 'GET' && req.method !== 'HEAD') {
    const { allowedOrigins } = services().config.server;
    if (!originAllowed(req.headers.get('origin'), req.headers.get('host'), allowedOrigins)) {
      throw new RouteError(403, 'cross-origin request refused');
    }
  }
  const row = await services().sessions.authorize(id, token);
  if (!row) throw new RouteError(404, 'no such session');
  return row;
}
