/**
 * What a Registry API (/v2) request is about: which repository, and which
 * action it needs (pull for reads, push for writes, delete for deletes), so
 * the policy chain can decide before Distribution sees it.
 *
 *   classifyV2('PUT', '/v2/admin/alpine/manifests/3.6')
 *   // { kind: 'manifest', repository: 'admin/alpine', reference: '3.6', action: 'push' }
 */
import type { Action } from '../policy/roles';

export type V2Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'manifest' | 'blob' | 'upload' | 'tags'; repository: string; reference?: string; action: Action }
  | { kind: 'unknown' };

const REPO = '([a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)';
const PATTERNS: [RegExp, 'manifest' | 'blob' | 'upload' | 'tags'][] = [
  [new RegExp(`^/v2/${REPO}/manifests/([^/]+)$`), 'manifest'],
  [new RegExp(`^/v2/${REPO}/blobs/uploads/?([^/]*)$`), 'upload'],
  [new RegExp(`^/v2/${REPO}/blobs/([^/]+)$`), 'blob'],
  [new RegExp(`^/v2/${REPO}/tags/list$`), 'tags'],
];

export function classifyV2(method: string, pathname: string): V2Route {
  if (pathname === '/v2/' || pathname === '/v2') return { kind: 'base' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  for (const [re, kind] of PATTERNS) {
    const m = re.exec(pathname);
    if (!m) continue;
    const reads = method === 'GET' || method === 'HEAD';
    const action: Action = kind === 'upload' ? 'push' : reads ? 'pull' : method === 'DELETE' ? 'delete' : 'push';
    return { kind, repository: m[1], reference: m[2] || undefined, action };
  }
  return { kind: 'unknown' };
}
