/**
 * What the /api/v0 route modules share besides the route shape
 * (api/api-route.ts): the error type the control plane turns into DTR's
 * `{errors: [{code, message}]}`, query and name checks.
 */
import { ApiError } from '../api/api-route';

export { ApiError, type ApiAnswer } from '../api/api-route';
export { parse, pathParts } from '../api/dispatch-api';

/** A bounded count from the query string (`?limit=50`), or the default. */
export function limitParam(query: URLSearchParams, fallback: number, max = 1000): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError(400, 'INVALID_PARAMETER', `limit must be a whole number from 1 to ${max}`);
  return n;
}

export function validName(problem: string | null) {
  if (problem) throw new ApiError(400, 'INVALID_NAME', problem);
}
