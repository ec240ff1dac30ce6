/**
 * The two /v2 routes about no repository. Distribution answers /v2/ to any
 * valid token, an anonymous one included; the catalog needs a signed-in
 * caller whose token (if any) covers `registry:catalog:*` — the listing is
 * then filtered by what each may view.
 *
 *   baseAccess(identity)      // null | challenge
 *   catalogAccess(identity)   // null | challenge
 */
import { tokenAllows } from '../../auth/token-service';
import { challenge, type Identity, type Refusal } from '../chain';

export function baseAccess(identity: Identity | null): Refusal | null {
  return identity ? null : challenge('authentication required');
}

export function catalogAccess(identity: Identity | null): Refusal | null {
  if (!identity?.principal) return challenge('authentication required', 'registry:catalog:*');
  if (identity.access !== 'any' && !tokenAllows(identity.access, 'registry', ['catalog'], '*')) return challenge('the token does not cover the catalog', 'registry:catalog:*', true);
  return null;
}
