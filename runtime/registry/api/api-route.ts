/**
 * One /api/v0 route, declared once: method, path, who may call it, the body
 * it takes, and the handler that runs only after authorize() said yes
 * (Harbor's `RequireProjectAccess` at the top of every handler, made data).
 * The same declarations produce the OpenAPI document and the authorization
 * matrix test.
 *
 *   route({ method: 'PATCH', path: '/repositories/{namespace}/{repo}', tag: 'repositories', summary: 'Change settings',
 *           permission: [repository('manage')], body: patchBody, handler: ({ params, body }) => … })
 */
import type { z } from 'zod';
import type { Principal } from '../policy/roles';
import type { Permission } from './permissions';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** Sent as is with this content type instead of JSON (CSV exports). */
  contentType?: string;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiCall<B> {
  principal: Principal;
  /** Path parameters by name, percent-decoded. */
  params: Record<string, string>;
  /** The body, parsed by the route's schema (undefined when it declares none). */
  body: B;
  query: URLSearchParams;
}

export interface ApiRoute<S extends z.ZodType = z.ZodType> {
  method: Method;
  /** OpenAPI style, under /api/v0: `/repositories/{namespace}/{repo}`. */
  path: string;
  tag: string;
  summary: string;
  /** Every one must hold (in order: the first refusal answers). Empty is not allowed: say signedIn. */
  permission: readonly Permission[];
  body?: S;
  handler(call: ApiCall<z.infer<S>>): ApiAnswer | Promise<ApiAnswer>;
}

/** Keeps the body's type between the schema and the handler. */
export function route<S extends z.ZodType = z.ZodUndefined>(r: ApiRoute<S>): ApiRoute {
  return r as unknown as ApiRoute;
}

/** Matches `parts` (decoded path segments under /api/v0) against a route's path; the named parameters, or null. */
export function matchPath(pattern: string, parts: readonly string[]): Record<string, string> | null {
  const segments = pattern.split('/').filter(Boolean);
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const name = /^\{(\w+)\}$/.exec(segments[i])?.[1];
    if (name) params[name] = parts[i];
    else if (segments[i] !== parts[i]) return null;
  }
  return params;
}
