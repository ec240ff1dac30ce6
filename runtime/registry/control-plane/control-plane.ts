/**
 * The bundled registry's control plane: the only thing learners talk to on
 * the registry node. Every /v2 request passes an ordered chain —
 * authenticate (Bearer tokens from our token service, or Basic) → authorize
 * (roles.ts, and the token's scope) → proxy to Distribution — and each link
 * fails closed: an error while deciding is a refusal, never a pass.
 * Health endpoints answer without credentials.
 *
 *   const tokens = createTokenService({ key: loadOrCreateSigningKey(file), service: 'dtr.labdock' });
 *   const handler = createControlPlane({ accounts, tokens, distribution: createDistributionClient({ host: '127.0.0.1', port: 5000 }) });
 *   https.createServer(tls, handler).listen(443);
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DistributionClient } from '../distribution/distribution-client';
import type { Accounts } from './accounts';
import { classifyV2 } from './v2-route';
import { classifyTrust, proxyToNotary, type NotaryAddress } from './trust-route';
import { createSignedTags } from './signed-tags';
import { ApiError, createApiV0 } from './api-v0';
import { repositoryPathProblem, tagNameProblem } from '../policy/names';
import { allowedActions, may, type Action, type Principal, type RepositoryGrants } from '../policy/roles';
import { tokenAllows, type AccessEntry, type TokenService } from '../auth/token-service';
import { createTokenEndpoint } from '../auth/token-endpoint';
import { createTagsApi } from './api-tags';
import { createGcApi, gcSettingsSection } from './api-gc';
import { createAccountsApi } from './api-accounts';
import { createRepositoriesApi } from './api-repositories';
import type { RegistryStorage } from '../storage/registry-storage';
import { enforceTagLimit } from '../storage/enforce-tag-limit';
import type { WriteGate } from '../gc/write-gate';
import type { GarbageCollector } from '../gc/garbage-collector';
import type { JobLog } from '../jobs/job-log';
import type { EventBus } from '../events/event-bus';
import type { Webhooks } from '../events/webhooks';
import type { ActivityLog } from '../events/activity-log';
import type { NotificationReceiver } from '../events/distribution-notifications';
import type { ComponentLogs } from '../logs/component-logs';
import type { ApiHandler } from './api-common';
import { createEventsApi } from './api-events';
import { createMetaApi, type SettingsSection } from './api-meta';
import { serveApiDocs } from './api-docs';
import type { RouteDoc } from './openapi';

export interface ControlPlaneOptions {
  accounts: Accounts;
  /** The token service; its `service` is the registry's hostname, and the realm is https://<it>/auth/token. */
  tokens: TokenService;
  /** Distribution's storage, shared with it on the registry node: tags, deletes, tag limits. */
  storage: RegistryStorage;
  /** Closed (read-only) while garbage collection runs. */
  gate: WriteGate;
  gc: GarbageCollector;
  jobs: JobLog;
  /** The event bus and what hangs off it; `notifications` learns who pushed and pulled what. */
  events: { bus: EventBus; webhooks: Webhooks; activity: ActivityLog; notifications: NotificationReceiver };
  logs: ComponentLogs;
  /** More /api/v0 modules (scanning, promotion…), asked before the core ones. */
  apis?: ApiHandler[];
  /** More settings sections for /api/v0/meta/settings. */
  settings?: SettingsSection[];
  /** How the extra APIs document their routes in the OpenAPI document. */
  routeDocs?: RouteDoc[];
  /** The scan summary of a manifest, for the tags API (null when never scanned). */
  vulnSummaryOf?: (digest: string) => unknown;
  /** Distribution on loopback: the one client every part of the control plane uses. */
  distribution: DistributionClient;
  /** notary-server on loopback: Docker Content Trust under /v2/<gun>/_trust/ (trust-route.ts). */
  notary?: NotaryAddress;
  log?: (message: string) => void;
}

/** Docker sends Basic credentials on every request; bcrypt on each would cost ~60 ms. Verified ones are remembered this long. */
const AUTH_CACHE_MS = 5 * 60_000;
const REALM = 'labdock registry';

/**
 * Who is asking, and what their credentials let them ask for: a Bearer token
 * carries the access its token granted; Basic credentials (the DTR API's way,
 * and curl's) are checked against the role table alone.
 */
interface Identity {
  principal: Principal | null;
  access: AccessEntry[] | 'any';
}

/** Which token-spec action a /v2 route needs. */
const SCOPE_ACTION: Partial<Record<Action, string>> = { pull: 'pull', push: 'push', delete: 'delete' };

export function createControlPlane(options: ControlPlaneOptions) {
  const log = options.log ?? ((m: string) => console.log(`[control-plane] ${m}`));
  const verified = new Map<string, { name: string; passwordHash: string; until: number }>();
  const { bus } = options.events;
  const api = createApiV0([
    ...(options.apis ?? []),
    createTagsApi({
      accounts: options.accounts, storage: options.storage, gate: options.gate, bus, activity: options.events.activity, vulnSummaryOf: options.vulnSummaryOf, log,
      ...(options.notary ? { signedTags: createSignedTags({ notary: options.notary, host: options.tokens.service }) } : {}),
    }),
    createGcApi(options.gc),
    createEventsApi({ accounts: options.accounts, webhooks: options.events.webhooks, activity: options.events.activity }),
    createMetaApi({ sections: [gcSettingsSection(options.gc), ...(options.settings ?? [])], jobs: options.jobs, logs: options.logs }),
    createAccountsApi(options.accounts),
    createRepositoriesApi(options.accounts),
  ]);
  const tagLocks = new KeyedLock();
  const distribution = options.distribution;
  const host = options.tokens.service;

  async function verifyPassword(name: string, password: string): Promise<Principal | null> {
    const key = createHash('sha256').update(`${name}\0${password}`).digest('hex');
    const hit = verified.get(key);
    // Role and password are read from the store on every hit: a demoted user is demoted, an old password refused, at once.
    const user = options.accounts.read().users.find((u) => u.name === name);
    if (hit && hit.until > Date.now() && user?.passwordHash === hit.passwordHash) return { name: user.name, globalRole: user.globalRole };
    const principal = await options.accounts.verify(name, password);
    if (principal && user) verified.set(key, { name, passwordHash: user.passwordHash, until: Date.now() + AUTH_CACHE_MS });
    return principal;
  }

  function livePrincipal(name: string): Principal | null {
    const user = options.accounts.read().users.find((u) => u.name === name);
    return user ? { name: user.name, globalRole: user.globalRole } : null;
  }

  const tokenEndpoint = createTokenEndpoint({ tokens: options.tokens, accounts: options.accounts, verifyPassword });

  /** null: no credentials at all; 'invalid': credentials that do not hold. */
  async function authenticate(req: IncomingMessage): Promise<Identity | null | 'invalid'> {
    const header = req.headers.authorization;
    if (!header) return null;
    const bearer = /^Bearer\s+(\S+)$/.exec(header);
    if (bearer) {
      const token = options.tokens.verifyAccess(bearer[1]);
      if (!token) return 'invalid';
      if (!token.subject) return { principal: null, access: token.access };
      const principal = livePrincipal(token.subject);
      return principal ? { principal, access: token.access } : 'invalid';
    }
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header);
    if (!m) return 'invalid';
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'invalid';
    const principal = await verifyPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
    return principal ? { principal, access: 'any' } : 'invalid';
  }

  /** Does the identity's token (if it came with one) cover `action` on `repository`? */
  const scopeCovers = (identity: Identity | null, repository: string, action: string) =>
    !identity || identity.access === 'any' || tokenAllows(identity.access, 'repository', [repository, `${host}/${repository}`], action);

  const grantsFor = (repository: string, principal: Principal | null): RepositoryGrants => options.accounts.grants(repository, principal);

  const counters = { accepted: 0, handled: 0, requests: 0, active: 0 };

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.accepted++;
    counters.requests++;
    counters.active++;
    res.once('close', () => {
      counters.active--;
      counters.handled++;
    });
    const url = new URL(req.url ?? '/', 'https://registry.invalid');
    try {
      if (url.pathname === '/_ping' || url.pathname === '/health' || url.pathname === '/load_balancer_status') return await health(url.pathname, res);
      if (url.pathname === '/nginx_status') return nginxStatus(res);
      if (url.pathname === '/auth/token') {
        const form = req.method === 'POST' ? await readBody(req) : '';
        const answer = await tokenEndpoint(req.method ?? 'GET', url, req.headers.authorization, form);
        res.setHeader('cache-control', 'no-store');
        return send(res, answer.status, answer.body);
      }
      if (url.pathname.startsWith('/api/v0/docs') && serveApiDocs(url.pathname, res, host, options.routeDocs)) return;
      if (!url.pathname.startsWith('/v2') && !url.pathname.startsWith('/api/v0/')) return error(res, 404, 'NOT_FOUND', 'no such endpoint');
      const identity = await authenticate(req);
      const isApi = url.pathname.startsWith('/api/v0/');
      if (identity === 'invalid') return isApi ? basicChallenge(res, 'incorrect username or password') : bearerChallenge(res, 'authentication required: the credentials or token are not valid');
      const principal = identity?.principal ?? null;
      if (url.pathname === '/api/v0/meta/cluster_status') return await clusterStatus(res, principal);
      if (isApi) return await apiCall(req, res, url, principal);
      // Trust paths are authorized like the repository they sign, then go to notary-server.
      const trust = classifyTrust(req.method ?? 'GET', url.pathname, req.headers.host);
      if (trust?.kind === 'trust-invalid') return error(res, 404, 'NAME_INVALID', trust.problem);
      const route = trust ?? classifyV2(req.method ?? 'GET', url.pathname);
      if (route.kind === 'unknown') return error(res, 404, 'NAME_INVALID', 'invalid repository name or path');
      // Distribution answers /v2/ to any valid token, an anonymous one included.
      if (route.kind === 'base') return identity ? proxy(req, res, url) : bearerChallenge(res, 'authentication required');
      if (route.kind === 'catalog') {
        if (!principal) return bearerChallenge(res, 'authentication required', 'registry:catalog:*');
        if (identity!.access !== 'any' && !tokenAllows(identity!.access, 'registry', ['catalog'], '*')) return bearerChallenge(res, 'the token does not cover the catalog', 'registry:catalog:*', true);
        return catalog(res, principal);
      }
      if (route.action === 'push' && principal) {
        const problem = repositoryPathProblem(route.repository)
          ?? (route.kind === 'manifest' && route.reference && !route.reference.includes(':') ? tagNameProblem(route.reference) : null);
        if (problem) return error(res, 400, route.kind === 'manifest' && !repositoryPathProblem(route.repository) ? 'TAG_INVALID' : 'NAME_INVALID', problem);
        const namespace = route.repository.split('/')[0];
        const data = options.accounts.read();
        if (!data.users.some((u) => u.name === namespace) && !data.orgs.some((o) => o.name === namespace)) {
          return error(res, 404, 'NAME_UNKNOWN', `no user or organization named ${namespace}: create it first, or push to your own namespace`);
        }
      }
      const grants = grantsFor(route.repository, principal);
      const scopeAction = SCOPE_ACTION[route.action] ?? route.action;
      const wanted = `repository:${route.repository}:${route.action === 'pull' ? 'pull' : `pull,${scopeAction}`}`;
      if (!may(principal, grants, route.action)) {
        if (!principal) return bearerChallenge(res, 'authentication required', wanted);
        log(`${principal.name} may not ${route.action} ${route.repository}`);
        // Notary clients read a 403 as "unable to reach trust server"; a 401 (what Notary's own token auth answers for an insufficient scope) as "not authorized".
        if (route.kind === 'trust') return bearerChallenge(res, `${principal.name} may not ${route.action} trust data of ${route.repository}`, wanted, true);
        return error(res, 403, 'DENIED', `requested access to the resource is denied: ${principal.name} may not ${route.action} ${route.repository}`);
      }
      // Allowed by the roles, but the token was issued for less: ask for a token with this scope.
      if (!scopeCovers(identity, route.repository, scopeAction)) return bearerChallenge(res, `the token does not cover ${scopeAction} on ${route.repository}`, wanted, true);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (!options.gate.enter()) return error(res, 503, 'UNAVAILABLE', 'the registry is read-only while garbage collection runs: try again in a moment');
        res.once('close', () => options.gate.leave());
      }
      if (route.kind === 'upload' && url.searchParams.has('from')) dropUnauthorizedMount(url, identity);
      if (route.kind === 'manifest' && route.action === 'push' && route.reference && !route.reference.includes(':')) {
        const { repository, reference: tag } = route;
        options.accounts.ensureRepository(repository);
        // One push of a tag at a time: the immutability check and the write cannot interleave with another push's.
        return await tagLocks.run(`${repository}:${tag}`, async () => {
          if (options.accounts.repository(repository)?.immutableTags && (await distribution.tagExists(repository, tag))) {
            return error(res, 400, 'UNKNOWN', `tag=${tag} cannot be overwritten because ${repository} is an immutable repository`);
          }
          await proxy(req, res, url, remember('push', repository, principal));
          if (res.statusCode === 201) pruneTags(repository, tag, principal);
        });
      }
      if (route.kind === 'trust') return await proxyToNotary(req, res, url, options.notary, log);
      // Distribution notifies a pull for every manifest GET and HEAD; the ones by tag become events.
      const pullByTag = route.kind === 'manifest' && (req.method === 'GET' || req.method === 'HEAD') && !!route.reference && !route.reference.includes(':');
      await proxy(req, res, url, pullByTag ? remember('pull', route.repository, principal) : undefined);
    } catch (err) {
      if (err instanceof BodyTooLarge) return error(res, 413, 'TOO_LARGE', err.message);
      // Fail closed: whatever went wrong, nothing was let through.
      log(`${req.method} ${url.pathname}: ${(err as Error).message}`);
      if (!res.headersSent) error(res, 500, 'UNKNOWN', 'the registry could not decide this request');
      else res.destroy();
    }
  };

  async function apiCall(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal | null) {
    if (!principal) return basicChallenge(res, 'authentication required');
    let body: unknown;
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      // A vulnerability database upload is the one big body the API takes.
      const text = await readBody(req, url.pathname === '/api/v0/imagescan/scanner/db' ? 32 * 1024 * 1024 : 1024 * 1024);
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        return error(res, 400, 'INVALID_JSON', 'the body is not valid JSON');
      }
    }
    try {
      const out = await api(req.method ?? 'GET', url.pathname, principal, body, url.searchParams);
      if (out.status === 204) return void res.writeHead(204).end();
      if (out.contentType) {
        res.writeHead(out.status, { 'content-type': out.contentType });
        return void res.end(out.body as string | Buffer);
      }
      send(res, out.status, out.body);
    } catch (err) {
      if (err instanceof ApiError) return error(res, err.status, err.code, err.message);
      throw err;
    }
  }

  /** After a tag push: the repository's tag limit, first in first out. */
  function pruneTags(repository: string, pushed: string, principal: Principal | null) {
    const limit = options.accounts.repository(repository)?.tagLimit ?? 0;
    const pruned = enforceTagLimit(options.storage, repository, limit, pushed);
    if (!pruned.length) return;
    log(`tag limit ${limit} of ${repository}: pruned ${pruned.join(', ')}`);
    for (const tag of pruned) bus.publish({ type: 'TAG_DELETE', repository, tag, actor: principal?.name ?? '', details: { reason: `tag limit ${limit}` } });
  }

  /** Distribution's notification of this push or pull will not say who it was: remember. */
  function remember(action: 'push' | 'pull', repository: string, principal: Principal | null) {
    return (up: IncomingMessage) => {
      const digest = up.headers['docker-content-digest'];
      if ((up.statusCode === 200 || up.statusCode === 201) && typeof digest === 'string') options.events.notifications.rememberActor(action, repository, digest, principal?.name ?? '');
    };
  }

  /** The /api/v0 way (DTR's API takes Basic credentials). */
  function basicChallenge(res: ServerResponse, message: string) {
    res.setHeader('WWW-Authenticate', `Basic realm="${REALM}"`);
    error(res, 401, 'UNAUTHORIZED', message);
  }

  /** The token spec's challenge: where to get a token, for which service, and (when known) which scope. */
  function bearerChallenge(res: ServerResponse, message: string, scope?: string, insufficient = false) {
    const params = [`realm="https://${host}/auth/token"`, `service="${host}"`];
    if (scope) params.push(`scope="${scope}"`);
    if (insufficient) params.push('error="insufficient_scope"');
    res.setHeader('WWW-Authenticate', `Bearer ${params.join(',')}`);
    error(res, 401, 'UNAUTHORIZED', message);
  }

  /**
   * A cross-repository blob mount (?mount=…&from=…) reads the source
   * repository: when the caller may not pull it, the mount parameters go and
   * Distribution answers with a plain upload instead (what it does for a
   * blob it cannot mount).
   */
  function dropUnauthorizedMount(url: URL, identity: Identity | null) {
    const from = url.searchParams.get('from') ?? '';
    const principal = identity?.principal ?? null;
    const ok = !repositoryPathProblem(from) && may(principal, grantsFor(from, principal), 'pull') && scopeCovers(identity, from, 'pull');
    if (!ok) {
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
    }
  }

  /** Streams the request to Distribution and its answer back; resolves when the answer is sent. */
  function proxy(req: IncomingMessage, res: ServerResponse, url: URL, onAnswer?: (up: IncomingMessage) => void): Promise<void> {
    return distribution.proxy(req, res, url.pathname + url.search, { onAnswer, onError: (err) => log(`distribution: ${err.message}`) });
  }

  async function catalog(res: ServerResponse, principal: Principal) {
    const repositories = (await distribution.catalog()).filter((r) => allowedActions(principal, grantsFor(r, principal)).has('view'));
    send(res, 200, { repositories });
  }

  async function health(path: string, res: ServerResponse) {
    const ok = await distribution.ping();
    if (path === '/_ping') {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'OK' : 'registry storage unavailable');
      return;
    }
    if (path === '/load_balancer_status') return send(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable' });
    send(res, ok ? 200 : 503, { healthy: ok, checks: { storage: ok ? 'ok' : 'unavailable' } });
  }

  /** nginx's stub_status format, which DTR's load-balancer answered and monitoring scrapes. */
  function nginxStatus(res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`Active connections: ${counters.active}\nserver accepts handled requests\n ${counters.accepted} ${counters.handled} ${counters.requests}\nReading: 0 Writing: ${counters.active} Waiting: 0\n`);
  }

  /** Admins only: the state of this registry's parts. */
  async function clusterStatus(res: ServerResponse, principal: Principal | null) {
    if (!principal) return basicChallenge(res, 'authentication required');
    if (principal.globalRole !== 'admin') return error(res, 403, 'NOT_AUTHORIZED', 'only admins may read the cluster status');
    const storage = await distribution.ping();
    send(res, 200, { healthy: storage, replicas: { dtr: { controlPlane: 'ok', storage: storage ? 'ok' : 'unavailable', uptimeSeconds: Math.round(process.uptime()) } } });
  }

}

/** Runs tasks one at a time per key; different keys run in parallel. */
class KeyedLock {
  private tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(task);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}

class BodyTooLarge extends Error {
  constructor(limit: number) {
    super(`the request body is larger than ${limit / 1024 / 1024} MiB`);
  }
}

/** API bodies are small; 1 MiB bounds what an abusive client can make us buffer. */
function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.resume(); // drain the rest: the answer must reach the client
        reject(new BodyTooLarge(limit));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Errors in the Registry API's own format, which docker prints as `<code>: <message>`. */
function error(res: ServerResponse, status: number, code: string, message: string) {
  send(res, status, { errors: [{ code, message, detail: null }] });
}
