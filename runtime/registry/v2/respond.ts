/**
 * Writes answers the way Distribution does: errors as `{errors: [{code,
 * message, detail}]}` (docker prints `<code>: <message>`), and the token
 * spec's one challenge — where to get a token, for which service, which
 * scope — in WWW-Authenticate.
 *
 *   respond(res, refusal, 'dtr.labdock');
 */
import type { ServerResponse } from 'node:http';
import type { Refusal } from './chain';

export function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string) {
  send(res, status, { errors: [{ code, message, detail: null }] });
}

export function respond(res: ServerResponse, refusal: Refusal, host: string) {
  if (refusal.kind === 'error') return sendError(res, refusal.status, refusal.code, refusal.message);
  const params = [`realm="https://${host}/auth/token"`, `service="${host}"`];
  if (refusal.scope) params.push(`scope="${refusal.scope}"`);
  if (refusal.insufficient) params.push('error="insufficient_scope"');
  res.setHeader('WWW-Authenticate', `Bearer ${params.join(',')}`);
  sendError(res, 401, 'UNAUTHORIZED', refusal.message);
}
