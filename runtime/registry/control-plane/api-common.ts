/**
 * What every /api/v0 module shares: the error type the control plane turns
 * into DTR's `{errors: [{code, message}]}`, body parsing with zod, and the
 * handler shape — a module answers the calls it owns and returns null for
 * the rest, so the control plane can ask each in turn.
 *
 *   export function createThingsApi(deps): ApiHandler {
 *     return async (method, pathname, principal, body) => (pathname === '/api/v0/things' ? { status: 200, body: [] } : null);
 *   }
 */
import type { z } from 'zod';
import type { Principal } from '../policy/roles';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** Sent as is with this content type instead of JSON (CSV exports, the console's HTML). */
  contentType?: string;
}

export type ApiHandler = (method: string, pathname: string, principal: Principal, body: unknown, query: URLSearchParams) => Promise<ApiAnswer | null>;

/** A bounded count from the query string (`?limit=50`), or the default. */
export function limitParam(query: URLSearchParams, fallback: number, max = 1000): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError(400, 'INVALID_PARAMETER', `limit must be a whole number from 1 to ${max}`);
  return n;
}

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, 'INVALID_JSON', `${r.error.issues[0].path.join('.') || 'body'}: ${r.error.issues[0].message}`);
  return r.data;
}

export function validName(problem: string | null) {
  if (problem) throw new ApiError(400, 'INVALID_NAME', problem);
}

/** `/api/v0/a/b%2Fc` → ['a', 'b/c']; a malformed escape (`%E0%A4%A`) is the client's mistake: 400. */
export function pathParts(pathname: string): string[] {
  return pathname.replace(/^\/api\/v0\//, '').split('/').filter(Boolean).map(decodePart);
}

export function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ApiError(400, 'INVALID_PARAMETER', `the path has a malformed percent-encoding: ${JSON.stringify(part.slice(0, 100))}`);
  }
}
