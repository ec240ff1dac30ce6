/**
 * Requests and grants for the policies' unit tests: plain values, no I/O.
 *
 *   const ctx = request('PUT', '/v2/admin/a/manifests/1', { kind: 'manifest', repository: 'admin/a', reference: '1', action: 'push' }, basic('admin', 'admin'));
 */
import type { GlobalRole, RepositoryGrants } from '../../policy/roles';
import type { AccessEntry } from '../../auth/token-service';
import type { Identity, RepositoryRoute, V2Context } from '../chain';

export function request(method: string, path: string, route: RepositoryRoute, identity: Identity | null) {
  const done: (() => void)[] = [];
  const ctx: V2Context = { method, url: new URL(path, 'https://dtr.labdock'), route, identity, onDone: (fn) => done.push(fn) };
  return Object.assign(ctx, { finish: () => done.forEach((fn) => fn()) });
}

export const basic = (name: string, globalRole: GlobalRole = 'none'): Identity => ({ principal: { name, globalRole }, access: 'any' });
export const bearer = (name: string | null, access: AccessEntry[]): Identity => ({ principal: name ? { name, globalRole: 'none' } : null, access });

/** Private repositories, owned by their namespace; `public/*` is public. */
export const grants = (repository: string): RepositoryGrants => ({
  namespace: repository.split('/')[0], visibility: repository.startsWith('public/') ? 'public' : 'private', teamRoles: [], organizationOwner: false,
});

export const push = (repository: string, reference = '1'): RepositoryRoute => ({ kind: 'manifest', repository, reference, action: 'push' });
export const pull = (repository: string, reference = '1'): RepositoryRoute => ({ kind: 'manifest', repository, reference, action: 'pull' });
