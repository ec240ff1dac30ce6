/**
 * One HTTPS request from the labdock server to a session's registry node, at
 * its address on the session network, trusting only that session's CA and
 * checking the certificate names the registry's hostname — so a learner who
 * spoofs the registry's address from a node of the same session (nodes have
 * NET_ADMIN) gets a TLS failure, never the credentials or the answer.
 *
 *   const answer = await forwardRegistryRequest({ address: '172.21.0.2', caCert },
 *     { method: 'GET', path: '/api/v0/repositories', authorization: 'Basic …' }, { timeoutMs: 15_000 });
 *   answer.status  // the registry's status, passed through
 *   answer.body    // its JSON (or {error} when it answered something else)
 */
import { request } from 'node:https';
import { HttpError } from '../../http/http-error';
import { REGISTRY_HOST } from '../start-registry';

export interface RegistryEndpoint {
  address: string;
  caCert: string;
  /** 443 on registry nodes; tests run their own TLS server elsewhere. */
  port?: number;
}

export interface RegistryRequest {
  method: string;
  /** Path and query, already checked by registryTarget(). */
  path: string;
  body?: string;
  authorization?: string;
}

export interface RegistryAnswer {
  status: number;
  body: unknown;
}

export interface ForwardOptions {
  timeoutMs: number;
  /** API answers are small; this keeps a misbehaving node from filling the server's memory. Default 4 MiB. */
  maxResponseBytes?: number;
}

export function forwardRegistryRequest(endpoint: RegistryEndpoint, req: RegistryRequest, options: ForwardOptions): Promise<RegistryAnswer> {
  const max = options.maxResponseBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: REGISTRY_HOST, accept: 'application/json' };
    if (req.authorization) headers.authorization = req.authorization;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(req.body));
    }
    const out = request({
      host: endpoint.address, port: endpoint.port ?? 443, method: req.method, path: req.path, headers,
      // Trust exactly this session's CA (not the system store) and verify the name it certifies.
      ca: endpoint.caCert, servername: REGISTRY_HOST, rejectUnauthorized: true,
      // No shared pool: a connection never outlives the request, nor serves another session.
      agent: false,
      timeout: options.timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          res.destroy();
          reject(new HttpError(502, `the registry's answer is larger than ${max} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('error', (err) => reject(new HttpError(502, `the registry's answer broke off: ${err.message}`)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 502, body: parseBody(text, res.headers['content-type'] ?? '', res.statusCode ?? 502) });
      });
    });
    // The whole exchange, not just idle time, is bounded: a console click must never hang.
    const deadline = setTimeout(() => out.destroy(new TimeoutError()), options.timeoutMs);
    out.on('close', () => clearTimeout(deadline));
    out.on('timeout', () => out.destroy(new TimeoutError()));
    out.on('error', (err) => reject(translate(err, options.timeoutMs)));
    out.end(req.body);
  });
}

class TimeoutError extends Error {
  readonly code = 'LABDOCK_TIMEOUT';
}

function parseBody(text: string, contentType: string, status: number): unknown {
  if (!text) return status >= 400 ? { error: `the registry answered ${status} without a body` } : null;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return { error: `the registry answered ${status} with malformed JSON` };
    }
  }
  // A plain-text answer (e.g. Distribution's own 404 page) becomes an error the console can show.
  return { error: text.slice(0, 500).trim() };
}

function translate(err: Error & { code?: string }, timeoutMs: number): HttpError {
  if (err instanceof HttpError) return err;
  if (err.code === 'LABDOCK_TIMEOUT') return new HttpError(504, `the session's registry did not answer within ${timeoutMs / 1000} s`);
  if (/CERT|SELF_SIGNED|VERIFY|LEAF|ERR_TLS|HOSTNAME/.test(err.code ?? '')) {
    return new HttpError(502, `the registry node's certificate is not the one this session's CA issued (${err.code})`);
  }
  return new HttpError(502, `cannot reach the session's registry: ${err.message}`);
}
