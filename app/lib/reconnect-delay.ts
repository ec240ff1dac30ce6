/**
 * When a terminal reconnects after its WebSocket closed, and when it must not.
 *
 *   setTimeout(connect, reconnectDelay(attempt++));
 */
import { CLOSE } from '@/runtime/terminal/protocol';

/** First retry after 0.5 s: a server restart takes about that long to accept again. */
const FIRST_DELAY_MS = 500;
/** Cap at 8 s so a learner coming back to the tab waits at most that long. */
const MAX_DELAY_MS = 8000;

/** Delay before attempt n (0-based), doubling to the cap, ±25 % jitter so reconnecting tabs do not stampede a restarted server. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Close codes after which reconnecting cannot help: the session is gone, not ours, or refused our origin. */
export function isFinalClose(code: number): boolean {
  return code === CLOSE.unauthorized || code === CLOSE.notFound || code === CLOSE.sessionEnded || code === CLOSE.badOrigin;
}
