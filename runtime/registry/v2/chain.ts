/**
 * The /v2 policy chain's shapes, and the runner: a request about one
 * repository passes each policy of its route in order (route-table.ts); the
 * first refusal answers it. A policy that throws while deciding refuses —
 * the chain fails closed, never open (Harbor's middleware chain and
 * Distribution's access controller are the models).
 *
 *   const refusal = await runChain([roleAccess(deps), tokenScope(host)], ctx);
 *   if (refusal) return respond(res, refusal);
 */
import type { Action, Principal } from '../policy/roles';
import type { AccessEntry } from '../auth/token-service';

/**
 * Who is asking, and what their credentials let them ask for: a Bearer token
 * carries the access its token granted; Basic credentials (the DTR API's way,
 * and curl's) are checked against the role table alone.
 */
export interface Identity {
  principal: Principal | null;
  access: AccessEntry[] | 'any';
}

/** A request about one repository (images, blobs, uploads, tags, or its trust data). */
export interface RepositoryRoute {
  kind: 'manifest' | 'blob' | 'upload' | 'tags' | 'trust';
  repository: string;
  reference?: string;
  action: Action;
}

export interface V2Context {
  method: string;
  /** Policies may narrow the request (the mount filter drops parameters). */
  url: URL;
  route: RepositoryRoute;
  identity: Identity | null;
  /** Runs when the exchange ends, however it ends (the write gate's leave). */
  onDone(fn: () => void): void;
}

/** What a refusal looks like on the wire: a Registry API error, or a token challenge (401 + WWW-Authenticate). */
export type Refusal =
  | { kind: 'error'; status: number; code: string; message: string }
  | { kind: 'challenge'; message: string; scope?: string; insufficient?: boolean };

export interface Policy {
  readonly name: string;
  decide(ctx: V2Context): Refusal | null | Promise<Refusal | null>;
}

export const refuse = (status: number, code: string, message: string): Refusal => ({ kind: 'error', status, code, message });
export const challenge = (message: string, scope?: string, insufficient = false): Refusal => ({ kind: 'challenge', message, scope, insufficient });

/** The scope a token must carry for this route: `repository:<name>:pull[,<action>]`. */
export function wantedScope(route: RepositoryRoute): string {
  return `repository:${route.repository}:${route.action === 'pull' ? 'pull' : `pull,${route.action}`}`;
}

export async function runChain(policies: readonly Policy[], ctx: V2Context, log: (m: string) => void = () => undefined): Promise<Refusal | null> {
  for (const policy of policies) {
    let refusal: Refusal | null;
    try {
      refusal = await policy.decide(ctx);
    } catch (err) {
      // Fail closed: a policy that cannot decide refuses.
      log(`${policy.name} could not decide ${ctx.method} ${ctx.url.pathname}: ${(err as Error).message}`);
      return refuse(500, 'UNKNOWN', 'the registry could not decide this request');
    }
    if (refusal) {
      if (refusal.kind === 'error' && refusal.status === 403) log(`${policy.name}: ${refusal.message}`);
      return refusal;
    }
  }
  return null;
}
