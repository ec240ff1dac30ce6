/**
 * Docker Content Trust through the control plane: the docker and notary CLIs
 * look for a private registry's trust server on the registry host itself,
 * under /v2/<gun>/_trust/…, where the GUN carries the host
 * (`dtr.labdock/admin/alpine`). This module says which repository and action
 * such a request is about — so the control plane authorizes it with the same
 * role table as the image itself — and streams it to notary-server on
 * loopback, which has no auth of its own.
 *
 *   const trust = classifyTrust('POST', '/v2/dtr.labdock/admin/alpine/_trust/tuf/', 'dtr.labdock');
 *   // { kind: 'trust', gun: 'dtr.labdock/admin/alpine', repository: 'admin/alpine', action: 'push' }
 *   if (trust?.kind === 'trust') await proxyToNotary(req, res, url, { host: '127.0.0.1', port: 4443 }, log);
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Action } from '../policy/roles';
import { repositoryPathProblem } from '../policy/names';

export type TrustRoute =
  | { kind: 'trust'; gun: string; repository: string; action: Action }
  | { kind: 'trust-invalid'; problem: string };

export interface NotaryAddress {
  host: string;
  port: number;
  /** Resolves once notary-server can answer (notary-ready.ts): it starts beside the registry, not before it. */
  ready?(): Promise<void>;
}

/** notary-server's routes: TUF metadata and keys under tuf/, and the changefeed. */
const TRUST_PATH = /^\/v2\/(.+?)\/_trust\/(tuf\/.*|changefeed)$/;

/**
 * Null when the path is not a trust path (the Registry API route applies).
 * `hostHeader` is the Host the client used: a GUN must name this registry,
 * as trust data for another registry's images cannot live here.
 */
export function classifyTrust(method: string, pathname: string, hostHeader: string | undefined): TrustRoute | null {
  const m = TRUST_PATH.exec(pathname);
  if (!m) return null;
  const gun = m[1];
  const slash = gun.indexOf('/');
  const gunHost = slash < 0 ? '' : gun.slice(0, slash);
  const repository = slash < 0 ? '' : gun.slice(slash + 1);
  const host = (hostHeader ?? '').toLowerCase();
  if (!gunHost || (gunHost !== host && gunHost !== host.replace(/:443$/, ''))) {
    return { kind: 'trust-invalid', problem: `trust data here is for ${host || 'this registry'}/<repository>, not ${gun}` };
  }
  const problem = repositoryPathProblem(repository);
  if (problem) return { kind: 'trust-invalid', problem };
  const rest = m[2];
  const reads = method === 'GET' || method === 'HEAD';
  // As notary-server's own auth would ask: GET tuf/<role>.key makes the
  // server create the timestamp or snapshot key when it has none, so it is
  // publishing (push), like POSTing metadata; rotating a key (POST
  // tuf/<role>.key) or deleting the trust data is scope `*`, which the token
  // service grants to repository admins (manage).
  const isKey = /^tuf\/.*\.key$/.test(rest);
  const action: Action = method === 'DELETE' || (isKey && !reads) ? 'manage' : reads && !isKey ? 'pull' : 'push';
  return { kind: 'trust', gun, repository, action };
}

/** `http://127.0.0.1:4443` (LABDOCK_NOTARY_URL) → address; undefined when unset: no content trust on this node. */
export function notaryAddress(url: string | undefined): NotaryAddress | undefined {
  if (!url) return undefined;
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 80) };
}

/** Streams the request to notary-server and its answer back; resolves when the answer is sent. */
export function proxyToNotary(req: IncomingMessage, res: ServerResponse, url: URL, notary: NotaryAddress | undefined, log: (m: string) => void): Promise<void> {
  if (!notary) {
    sendError(res, 404, 'NOT_FOUND', 'content trust is not enabled on this registry');
    return Promise.resolve();
  }
  const started = notary.ready?.() ?? Promise.resolve();
  return started.then(() => forward(req, res, url, notary, log), (err: Error) => {
    log(`notary-server: ${err.message}`);
    sendError(res, 503, 'UNAVAILABLE', err.message);
  });
}

function forward(req: IncomingMessage, res: ServerResponse, url: URL, notary: NotaryAddress, log: (m: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const headers = { ...req.headers };
    // The control plane has authorized the request; notary-server has no use for the learner's password.
    delete headers.authorization;
    res.once('close', () => resolve());
    const upstream = http.request({ host: notary.host, port: notary.port, method: req.method, path: url.pathname + url.search, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.setTimeout(60_000, () => upstream.destroy(new Error('notary-server did not answer in 60 s')));
    upstream.on('error', (err) => {
      log(`notary-server: ${err.message}`);
      if (!res.headersSent) sendError(res, 503, 'UNAVAILABLE', 'the trust server is not answering');
      else res.destroy();
    });
    req.pipe(upstream);
  });
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ code, message, detail: null }] }));
}
