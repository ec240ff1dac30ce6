/**
 * The bundled registry's control plane: the only thing learners talk to on
 * the registry node. This file is assembly: every /v2 request is
 * authenticated (v2/policies/authenticate.ts), classified, and passes the
 * ordered policies its route declares (v2/route-table.ts) before it reaches
 * Distribution, notary-server, or the tag write service (tags/write-tag.ts);
 * each policy fails closed. /api/v0 goes to the API modules; health
 * endpoints answer without credentials.
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
import { ApiError } from './api-common';
import { allowedActions, type Principal, type RepositoryGrants } from '../policy/roles';
import type { TokenService } from '../auth/token-service';
import { challenge, runChain, type V2Context } from '../v2/chain';
import { authenticate } from '../v2/policies/authenticate';
import { baseAccess, catalogAccess } from '../v2/policies/registry-access';
import { createRouteTable, routeFor } from '../v2/route-table';
import { respond, send, sendError } from '../v2/respond';
import { TagRefused, type TagWriter } from '../tags/write-tag';
import { createTokenEndpoint } from '../auth/token-endpoint';
import type { WriteGate } from '../gc/write-gate';
import type { NotificationReceiver } from '../events/distribution-notifications';
import { serveApiDocs } from './api-docs';
import { createApi } from '../api/dispatch-api';
import type { ApiRoute } from '../api/api-route';
import type { AccessFacts } from '../api/permissions';

export interface ControlPlaneOptions {
  accounts: Accounts;
  /** The token service; its `service` is the registry's hostname, and the realm is https://<it>/auth/token. */
  tokens: TokenService;
  /** Closed (read-only) while garbage collection runs. */
  gate: WriteGate;
  /** Learns who pushed and pulled what (Distribution's notifications do not say). */
  notifications: NotificationReceiver;
  /** Every /api/v0 route with its declared permission, and what authorize() asks of the registry's state. */
  api: { routes: readonly ApiRoute[]; facts: AccessFacts };
  /** The one write path for tags (pushes here, promotions elsewhere). */
  tags: TagWriter;
  /** Distribution on loopback: the one client every part of the control plane uses. */
  distribution: DistributionClient;
  /** notary-server on loopback: Docker Content Trust under /v2/<gun>/_trust/ (trust-route.ts). */
  notary?: NotaryAddress;
  log?: (message: string) => void;
}

/** Docker sends Basic credentials on every request; bcrypt on each would cost ~60 ms. Verified ones are remembered this long. */
const AUTH_CACHE_MS = 5 * 60_000;
const REALM = 'labdock registry';

export function createControlPlane(options: ControlPlaneOptions) {
  const log = options.log ?? ((m: string) => console.log(`[control-plane] ${m}`));
  const verified = new Map<string, { name: string; passwordHash: string; until: number }>();
  const api = createApi(options.api.routes, options.api.facts);
  const distribution = options.distribution;
  const tags = options.tags;
  const host = options.tokens.service;

  async function verifyPassword(name: string, password: string): Promise<Principal | null> {
    const key = createHash('sha256').update(`${name}\0${password}`).digest('hex');
    const hit = verified.get(key);
    // Role and password are read from the store on every hit: a demoted user is demoted, an old password refused, at once.
    const user = options.accounts.user(name);
    if (hit && hit.until > Date.now() && user?.passwordHash === hit.passwordHash) return { name: user.name, globalRole: user.globalRole };
    const principal = await options.accounts.verify(name, password);
    if (principal && user) verified.set(key, { name, passwordHash: user.passwordHash, until: Date.now() + AUTH_CACHE_MS });
    return principal;
  }

  function livePrincipal(name: string): Principal | null {
    const user = options.accounts.user(name);
    return user ? { name: user.name, globalRole: user.globalRole } : null;
  }

  const tokenEndpoint = createTokenEndpoint({ tokens: options.tokens, accounts: options.accounts, verifyPassword });

  const grantsFor = (repository: string, principal: Principal | null): RepositoryGrants => options.accounts.grants(repository, principal);

  const identify = (header: string | undefined) => authenticate(header, { verifyToken: (t) => options.tokens.verifyAccess(t), livePrincipal, verifyPassword });

  const routes = createRouteTable({ grants: grantsFor, namespaceExists: (ns) => options.accounts.namespaceExists(ns), gate: options.gate, host });

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
      if (url.pathname.startsWith('/api/v0/docs') && serveApiDocs(url.pathname, res, host, options.api.routes)) return;
      if (!url.pathname.startsWith('/v2') && !url.pathname.startsWith('/api/v0/')) return error(res, 404, 'NOT_FOUND', 'no such endpoint');
      const identity = await identify(req.headers.authorization);
      const isApi = url.pathname.startsWith('/api/v0/');
      if (identity === 'invalid') return isApi ? basicChallenge(res, 'incorrect username or password') : respond(res, challenge('authentication required: the credentials or token are not valid'), host);
      const principal = identity?.principal ?? null;
      if (isApi) return await apiCall(req, res, url, principal);
      // Trust paths are authorized like the repository they sign, then go to notary-server.
      const trust = classifyTrust(req.method ?? 'GET', url.pathname, req.headers.host);
      if (trust?.kind === 'trust-invalid') return error(res, 404, 'NAME_INVALID', trust.problem);
      const route = trust ?? classifyV2(req.method ?? 'GET', url.pathname);
      if (route.kind === 'unknown') return error(res, 404, 'NAME_INVALID', 'invalid repository name or path');
      if (route.kind === 'base') {
        const refusal = baseAccess(identity);
        return refusal ? respond(res, refusal, host) : await proxy(req, res, url);
      }
      if (route.kind === 'catalog') {
        const refusal = catalogAccess(identity);
        return refusal ? respond(res, refusal, host) : await catalog(res, principal!);
      }
      const entry = routeFor(routes, route);
      const ctx: V2Context = { method: req.method ?? 'GET', url, route, identity, onDone: (fn) => res.once('close', fn) };
      const refusal = await runChain(entry.policies, ctx, log);
      if (refusal) return respond(res, refusal, host);
      if (entry.end === 'notary') return await proxyToNotary(req, res, url, options.notary, log);
      if (entry.end === 'pull-by-tag') return await proxy(req, res, url, remember('pull', route.repository, principal));
      if (entry.end === 'distribution') return await proxy(req, res, url);
      // One write path for tags: the same lock, immutability and tag limit as a promotion.
      try {
        await tags.write(route.repository, ctx.route.reference!, principal?.name ?? '', async () => {
          await proxy(req, res, url, remember('push', route.repository, principal));
          return res.statusCode === 201;
        });
      } catch (err) {
        if (err instanceof TagRefused) return error(res, 400, 'UNKNOWN', err.message);
        throw err;
      }
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

  /** Distribution's notification of this push or pull will not say who it was: remember. */
  function remember(action: 'push' | 'pull', repository: string, principal: Principal | null) {
    return (up: IncomingMessage) => {
      const digest = up.headers['docker-content-digest'];
      if ((up.statusCode === 200 || up.statusCode === 201) && typeof digest === 'string') options.notifications.rememberActor(action, repository, digest, principal?.name ?? '');
    };
  }

  /** The /api/v0 way (DTR's API takes Basic credentials). */
  function basicChallenge(res: ServerResponse, message: string) {
    res.setHeader('WWW-Authenticate', `Basic realm="${REALM}"`);
    error(res, 401, 'UNAUTHORIZED', message);
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

const error = sendError;
