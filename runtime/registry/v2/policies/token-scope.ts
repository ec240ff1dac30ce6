/**
 * Allowed by the roles, but was the token issued for this? A Bearer token
 * carries the scopes it was granted (the token spec); a request beyond them
 * is challenged for a token with the scope it needs. Basic credentials carry
 * no scope (the role table alone decides).
 *
 *   tokenScope('dtr.labdock')
 */
import { tokenAllows } from '../../auth/token-service';
import { challenge, wantedScope, type Identity, type Policy } from '../chain';

/** Does the identity's token (if it came with one) cover `action` on `repository`? Names may carry the registry host. */
export function scopeCovers(identity: Identity | null, host: string, repository: string, action: string): boolean {
  return !identity || identity.access === 'any' || tokenAllows(identity.access, 'repository', [repository, `${host}/${repository}`], action);
}

export function tokenScope(host: string): Policy {
  return {
    name: 'token scope',
    decide({ route, identity }) {
      if (scopeCovers(identity, host, route.repository, route.action)) return null;
      return challenge(`the token does not cover ${route.action} on ${route.repository}`, wantedScope(route), true);
    },
  };
}
