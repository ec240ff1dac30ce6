/**
 * The /api/v0 dispatcher: finds the declared route, runs authorize() on its
 * permission, parses the body with its schema, and only then the handler.
 * Authorization comes first so a caller who may not call a route learns
 * nothing from it, not even its body's shape (permissions that read the body
 * read the few fields they need defensively). What no route declares is a
 * 404 that names the call.
 *
 *   const api = createApi(routes, facts);
 *   await api('GET', '/api/v0/repositories', principal, undefined, query)   // { status: 200, body: {...} }
 */
import type { z } from 'zod';
import type { Principal } from '../policy/roles';
import { ApiError, matchPath, type ApiAnswer, type ApiRoute } from './api-route';
import { authorize, type AccessFacts } from './permissions';

export function createApi(routes: readonly ApiRoute[], facts: AccessFacts) {
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path.replace(/\{\w+\}/g, '{}')}`;
    if (seen.has(key)) throw new Error(`two /api/v0 routes for ${key}`);
    seen.add(key);
  }
  return async function handle(method: string, pathname: string, principal: Principal, rawBody: unknown, query = new URLSearchParams()): Promise<ApiAnswer> {
    const parts = pathParts(pathname);
    let params: Record<string, string> | null = null;
    const found = routes.find((r) => r.method === method && (params = matchPath(r.path, parts)) !== null);
    if (!found || !params) throw new ApiError(404, 'NOT_FOUND', `no API endpoint ${method} ${pathname}`);
    authorize(found.permission, { principal, params, body: rawBody }, facts);
    const body = found.body ? parse(found.body, rawBody) : undefined;
    return found.handler({ principal, params, body, query });
  };
}

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, 'INVALID_JSON', `${r.error.issues[0].path.join('.') || 'body'}: ${r.error.issues[0].message}`);
  return r.data;
}

/** `/api/v0/a/b%2Fc` → ['a', 'b/c']; a malformed escape (`%E0%A4%A`) is the client's mistake: 400. */
export function pathParts(pathname: string): string[] {
  return pathname.replace(/^\/api\/v0\//, '').split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new ApiError(400, 'INVALID_PARAMETER', `the path has a malformed percent-encoding: ${JSON.stringify(part.slice(0, 100))}`);
    }
  });
}
