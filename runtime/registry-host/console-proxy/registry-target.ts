/**
 * What the registry console may ask a session's registry node for: the
 * management API under /api/v0 (any of GET, POST, PUT, PATCH, DELETE — the
 * registry decides who may do what) and two read-only Distribution
 * endpoints, the catalog and a repository's tag list. Everything else (blob
 * and manifest uploads, the token service, health and status pages) stays
 * out of reach of a browser request, whatever credentials it carries.
 *
 *   registryTarget('GET', '/v2/admin/alpine/tags/list', '?n=50')
 *   // { path: '/v2/admin/alpine/tags/list?n=50' }
 *   registryTarget('PUT', '/v2/admin/alpine/manifests/1', '')
 *   // { problem: 'the console only reads /v2/_catalog and /v2/<repository>/tags/list' }
 */

export type RegistryTarget = { path: string } | { problem: string };

export const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

// Registry names (accounts, teams, repositories, tags, digests) never need
// percent-encoding: refusing it outright keeps `%2e%2e`, `%2f` and friends
// from ever reaching the node as something the allow-list did not see.
const SEGMENT = /^[A-Za-z0-9._~:@+-]+$/;
/** Longer than any valid API path (repository names stop at 255 characters). */
const MAX_PATH = 1024;
const MAX_QUERY = 1024;

export function registryTarget(method: string, path: string, search: string): RegistryTarget {
  if (path.length > MAX_PATH) return { problem: `path is longer than ${MAX_PATH} characters` };
  if (search.length > MAX_QUERY) return { problem: `query is longer than ${MAX_QUERY} characters` };
  if (!path.startsWith('/')) return { problem: 'path must start with /' };
  const segments = path.slice(1).split('/');
  for (const s of segments) {
    if (!s) return { problem: 'empty path segment' };
    if (s === '.' || s === '..') return { problem: 'relative path segments are not allowed' };
    if (!SEGMENT.test(s)) return { problem: `path segment "${s.slice(0, 40)}" has characters registry names never use` };
  }
  const query = normalizeQuery(search);
  if (segments[0] === 'api' && segments[1] === 'v0') {
    if (segments.length < 3) return { problem: 'name an API resource under /api/v0/' };
    if (!(API_METHODS as readonly string[]).includes(method)) return { problem: `method ${method} is not used by the registry API` };
    return { path: path + query };
  }
  if (segments[0] === 'v2') {
    const catalog = segments.length === 2 && segments[1] === '_catalog';
    const tagList = segments.length >= 4 && segments.at(-2) === 'tags' && segments.at(-1) === 'list';
    if (!catalog && !tagList) return { problem: 'the console only reads /v2/_catalog and /v2/<repository>/tags/list' };
    if (method !== 'GET') return { problem: `${method} is not allowed on ${path}: the console only reads from /v2` };
    return { path: path + query };
  }
  return { problem: 'the console reaches only /api/v0/… and read-only /v2 listings' };
}

/** Re-encodes the query from its parsed form, so what is forwarded is exactly what was parsed. */
function normalizeQuery(search: string): string {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const out = params.toString();
  return out ? `?${out}` : '';
}
