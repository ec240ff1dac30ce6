/**
 * The one HTTP client for CNCF Distribution (the registry's storage, on
 * loopback on a registry node): health, catalog, manifests, blobs, mounts, and
 * streaming a learner's request through. Every call has a connect timeout and
 * an idle (or total) timeout; every manifest read sends the same Accept list.
 * Calls that must decide something (does this tag exist?) throw when
 * Distribution cannot tell, so the policy asking fails closed.
 *
 *   const distribution = createDistributionClient({ host: '127.0.0.1', port: 5000 });
 *   await distribution.tagExists('admin/alpine', '3.6')        // true | false, or throws
 *   await distribution.proxy(req, res, '/v2/admin/alpine/blobs/sha256:…')
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/** Every manifest type Distribution 2.8 stores; asked for on every manifest read so none is converted or refused. */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export interface DistributionAddress {
  host: string;
  port: number;
}

export interface DistributionTimeouts {
  /** Loopback connects at once or never: no point waiting for the kernel's minute. */
  connectMs: number;
  /** Small JSON answers (health, catalog, manifests): the whole exchange. */
  requestMs: number;
  /** Streams (blobs, proxied uploads and downloads): longest silence, not total time — a 2 GB layer may take minutes. */
  idleMs: number;
}

const DEFAULT_TIMEOUTS: DistributionTimeouts = { connectMs: 3000, requestMs: 30_000, idleMs: 120_000 };

/** Manifests are at most a few hundred KiB; 8 MiB bounds what a broken back end can make us buffer. */
const MAX_BUFFERED = 8 * 1024 * 1024;

export class DistributionError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function createDistributionClient(address: DistributionAddress, options: { headers?: Record<string, string>; timeouts?: Partial<DistributionTimeouts> } = {}) {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  // Kept-alive connections: a manifest HEAD through the control plane should not pay a TCP handshake each time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32 });

  /** Starts a request with connect and idle timeouts (and a deadline for the whole exchange, when given); resolves with the answer's head. */
  function open(method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: Buffer | Readable, deadlineMs?: number): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: address.host, port: address.port, method, path, headers: { ...options.headers, ...headers }, agent }, resolve);
      guard(req, timeouts);
      if (deadlineMs) {
        const timer = setTimeout(() => req.destroy(new DistributionError(`${method} ${path}: no answer within ${deadlineMs} ms`)), deadlineMs);
        req.once('close', () => clearTimeout(timer));
      }
      req.on('error', reject);
      if (Buffer.isBuffer(body)) req.end(body);
      else if (body) body.pipe(req);
      else req.end();
    });
  }

  /** A whole small answer, within `requestMs`. */
  async function call(method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: Buffer, deadlineMs = timeouts.requestMs): Promise<Answer> {
    const res = await open(method, path, headers, body, deadlineMs);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BUFFERED) res.destroy(new DistributionError(`${method} ${path}: answer larger than ${MAX_BUFFERED} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
      // Destroyed by the deadline after the head came: reject rather than hang.
      res.on('close', () => reject(new DistributionError(`${method} ${path}: the answer was cut off`)));
    });
  }

  return {
    address,

    /** Distribution answers /v2/ (401 counts: it is up) within the connect timeout: a health check must not hang. */
    async ping(): Promise<boolean> {
      try {
        return (await call('GET', '/v2/', {}, undefined, timeouts.connectMs)).status < 500;
      } catch {
        return false;
      }
    },

    /** Every repository (1000 is Distribution's default most entries per page). */
    async catalog(): Promise<string[]> {
      const a = await call('GET', '/v2/_catalog?n=1000');
      if (a.status !== 200) throw new DistributionError(`the catalog: ${a.status}`, a.status);
      return (JSON.parse(a.body.toString('utf8')) as { repositories?: string[] }).repositories ?? [];
    },

    /** The digest a tag points at, null when there is no such tag; throws when Distribution cannot tell. */
    async tagDigest(repository: string, tag: string): Promise<string | null> {
      const a = await call('HEAD', `/v2/${repository}/manifests/${tag}`, { accept: MANIFEST_ACCEPT });
      if (a.status === 404) return null;
      const digest = a.headers['docker-content-digest'];
      if (a.status === 200 && typeof digest === 'string') return digest;
      throw new DistributionError(`distribution answered ${a.status} for ${repository}:${tag}`, a.status);
    },

    /** Does Distribution hold this tag? Throws when it cannot tell. */
    async tagExists(repository: string, tag: string): Promise<boolean> {
      return (await this.tagDigest(repository, tag)) !== null;
    },

    /** A manifest byte for byte, with its type and digest. */
    async manifest(repository: string, reference: string): Promise<{ digest: string; contentType: string; body: Buffer }> {
      const a = await call('GET', `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
      if (a.status !== 200) throw new DistributionError(`manifest ${repository}@${reference}: ${a.status}`, a.status);
      return { digest: String(a.headers['docker-content-digest'] ?? ''), contentType: String(a.headers['content-type'] ?? ''), body: a.body };
    },

    /** Writes a manifest under a tag; resolves with Distribution's digest of it. */
    async putManifest(repository: string, tag: string, contentType: string, body: Buffer): Promise<string> {
      const a = await call('PUT', `/v2/${repository}/manifests/${tag}`, { 'content-type': contentType }, body);
      if (a.status !== 201) throw new DistributionError(`writing ${repository}:${tag}: ${a.status} ${a.body.toString('utf8').slice(0, 200)}`, a.status);
      return String(a.headers['docker-content-digest'] ?? '');
    },

    /** A blob's bytes, streamed (idle timeout only). */
    async blob(repository: string, digest: string): Promise<IncomingMessage> {
      const res = await open('GET', `/v2/${repository}/blobs/${digest}`);
      if (res.statusCode !== 200) {
        res.resume();
        throw new DistributionError(`blob ${repository}@${digest}: ${res.statusCode}`, res.statusCode);
      }
      return res;
    },

    /** One blob into `target`: mounted from `source` when Distribution can, streamed through otherwise. */
    async copyBlob(source: string, target: string, digest: string): Promise<void> {
      const mount = await call('POST', `/v2/${target}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(source)}`);
      if (mount.status === 201) return;
      if (mount.status !== 202) throw new DistributionError(`mounting ${digest} into ${target}: ${mount.status}`, mount.status);
      const location = new URL(String(mount.headers.location), 'http://distribution');
      location.searchParams.set('digest', digest);
      const blob = await this.blob(source, digest);
      const put = await open('PUT', location.pathname + location.search, { 'content-type': 'application/octet-stream', 'content-length': String(blob.headers['content-length']) }, blob);
      put.resume();
      if (put.statusCode !== 201) throw new DistributionError(`uploading ${digest} into ${target}: ${put.statusCode}`, put.statusCode);
    },

    /**
     * Streams a learner's request to Distribution and its answer back; resolves
     * when the answer is sent (or the exchange ends). `onAnswer` sees the answer's
     * head before it is forwarded.
     */
    proxy(req: IncomingMessage, res: ServerResponse, path: string, hooks: { onAnswer?: (up: IncomingMessage) => void; onError?: (err: Error) => void } = {}): Promise<void> {
      return new Promise((resolve) => {
        const headers = { ...req.headers };
        // Credentials are ours, not Distribution's; connection handling is the agent's.
        delete headers.authorization;
        delete headers.connection;
        delete headers['keep-alive'];
        res.once('close', () => resolve());
        const upstream = http.request({ host: address.host, port: address.port, method: req.method, path, headers, agent }, (up) => {
          hooks.onAnswer?.(up);
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        guard(upstream, timeouts);
        upstream.on('error', (err) => {
          hooks.onError?.(err);
          if (!res.headersSent) unavailable(res);
          else res.destroy();
        });
        // The learner went away mid-request: let Distribution's side go too.
        res.once('close', () => {
          if (!res.writableFinished) upstream.destroy();
        });
        req.pipe(upstream);
      });
    },
  };
}

export type DistributionClient = ReturnType<typeof createDistributionClient>;

/** Connect timeout on new sockets (kept-alive ones are connected), idle timeout on all. */
function guard(req: http.ClientRequest, timeouts: DistributionTimeouts) {
  req.on('socket', (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => req.destroy(new DistributionError('could not connect to the registry storage')), timeouts.connectMs);
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  });
  req.setTimeout(timeouts.idleMs, () => req.destroy(new DistributionError(`the registry storage was silent for ${timeouts.idleMs} ms`)));
}

function unavailable(res: ServerResponse) {
  res.writeHead(503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'the registry storage is not answering', detail: null }] }));
}
