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
      const expected = status < 500 || status === 503 || status === 504;
      if (!expected) console.error(`[api] ${req.method} ${new URL(req.url).pathname}:`, err);
      const { headers = {}, body = {} } = (err as { extra?: { headers?: Record<string, string>; body?: Record<string, unknown> } }).extra ?? {};
      return json({ error: expected ? (err as Error).message : `internal error: ${(err as Error).message}`, ...body }, status, headers);
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

/**
 * Exactly `application/json` (optionally `; charset=utf-8`). A browser can send
 * `text/plain;application/json` from any page without a CORS preflight; that
 * must not count as JSON.
 */
export function isJsonType(contentType: string | null): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  return type === 'application/json' && params.every((p) => p === '' || p === 'charset=utf-8');
}

/** Reads a body while counting it: past `max` bytes the read stops and the answer is 413, whatever Content-Length said. */
export async function readBody(req: Request, max = services().config.limits.maxBodyBytes): Promise<string> {
  if (Number(req.headers.get('content-length') ?? 0) > max) throw new RouteError(413, `request body is larger than ${max} bytes`);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new RouteError(413, `request body is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function parseJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  if (!isJsonType(req.headers.get('content-type'))) throw new RouteError(415, 'send the body as application/json');
  const text = await readBody(req);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
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
    if (!originAllowed(req.headers.get('origin'), services().publicOrigins)) {
      throw new RouteError(403, 'cross-origin request refused');
    }
  }
  const row = await services().sessions.authorize(id, token);
  if (!row) throw new RouteError(404, 'no such session');
  return row;
}
