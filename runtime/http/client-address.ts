/**
 * Who is asking, as far as the server can tell: the connection's address, or —
 * only when the operator says labdock sits behind a proxy (server.trustProxy) —
 * the last X-Forwarded-For hop, the one the proxy itself added. The result
 * travels to route handlers in CLIENT_HEADER, which the server always
 * overwrites: a client cannot choose its own.
 *
 *   req.headers[CLIENT_HEADER] = clientAddress(req, config.server.trustProxy);
 */
import type { IncomingMessage } from 'node:http';

export const CLIENT_HEADER = 'x-labdock-client-address';

export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: boolean): string {
  const direct = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  if (!trustProxy) return direct;
  const forwarded = req.headers['x-forwarded-for'];
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const last = list.at(-1);
  // An address, not whatever text a misconfigured proxy passes on.
  return last && /^[0-9a-fA-F.:]{2,45}$/.test(last) ? last.replace(/^::ffff:/, '') : direct;
}
