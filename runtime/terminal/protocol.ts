/**
 * Terminal wire protocol — the one module the browser and the server both import.
 *
 * Transport: WebSocket at `/ws/terminal?session=<id>&node=<name>[&cols=<n>&rows=<n>]`,
 * same origin as the app (cols/rows: the shell's size when it is first opened). Authentication is the session token: the browser sends it as the
 * HttpOnly cookie `labdock_token_<sessionId>`, other clients as
 * `Authorization: Bearer <token>`.
 *
 * Binary frames carry terminal bytes: server → client is shell output,
 * client → server is keyboard input. Text frames carry JSON control messages,
 * validated with the zod schemas below on both ends.
 *
 * Flow control (wetty's scheme): the client acknowledges output it has rendered
 * with `{type:"ack", bytes}` every ACK_EVERY_BYTES; the server stops reading the
 * shell when more than HIGH_WATERMARK bytes are unacknowledged and resumes
 * below LOW_WATERMARK.
 *
 * Reconnects: on every attach the server sends `{type:"attached", replay:true|false}`
 * and then the node's recent output (scrollback) as binary before live output,
 * so a reloaded page shows the same shell with its history.
 */
import { z } from 'zod';

export const TERMINAL_PATH = '/ws/terminal';

/** Client acknowledges after this many rendered bytes: small enough to keep latency low, large enough to not chatter. */
export const ACK_EVERY_BYTES = 16 * 1024;
/** Unacknowledged bytes at which the server pauses the shell: ~a few screens of `yes` output. */
export const HIGH_WATERMARK = 256 * 1024;
/** Resume once the client has caught up to here. */
export const LOW_WATERMARK = 64 * 1024;
/** Output kept per terminal for replay on reconnect. */
export const SCROLLBACK_BYTES = 256 * 1024;

export function tokenCookieName(sessionId: string): string {
  return `labdock_token_${sessionId}`;
}

export function terminalUrl(base: { protocol: string; host: string }, sessionId: string, node: string): string {
  const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = new URLSearchParams({ session: sessionId, node });
  return `${scheme}//${base.host}${TERMINAL_PATH}?${q.toString()}`;
}

const dimension = z.number().int().min(1).max(1000);

export const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize'), cols: dimension, rows: dimension }),
  z.object({ type: z.literal('ack'), bytes: z.number().int().min(0).max(1 << 30) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('attached'), node: z.string(), replay: z.boolean() }),
  z.object({ type: z.literal('exit'), code: z.number().nullable() }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('pong') }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** Parses a text frame; returns null (never throws) for anything malformed. */
export function parseClientMessage(text: string): ClientMessage | null {
  return parseWith(clientMessage, text);
}

export function parseServerMessage(text: string): ServerMessage | null {
  return parseWith(serverMessage, text);
}

function parseWith<T>(schema: z.ZodType<T>, text: string): T | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** WebSocket close codes labdock uses (4000–4999 is the application range). */
export const CLOSE = {
  unauthorized: 4401,
  notFound: 4404,
  badOrigin: 4403,
  nodeGone: 4410,
  sessionEnded: 4000,
} as const;
