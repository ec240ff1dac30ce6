/**
 * What workshop route handlers share: the signed-in instructor (CSRF-checked
 * for writes, since the auth cookie rides along with any request), a workshop
 * they may act on, the attendee cookie, and SSE responses.
 *
 *   const { who, workshop } = await workshopFor(req, id, 'manage');
 */
import 'server-only';
import { RouteError, services } from '../../_lib/route-kit';
import { originAllowed } from '@/runtime/http/auth';
import { instructorOf } from '@/runtime/auth/instructor-of';
import { assertCan, type WorkshopAction } from '@/runtime/workshops/workshop-access';

export function checkOrigin(req: Request): void {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  if (!originAllowed(req.headers.get('origin'), services().publicOrigins)) {
    throw new RouteError(403, 'cross-origin request refused');
  }
}

export async function instructor(req: Request) {
  checkOrigin(req);
  const who = await instructorOf(services().auth, req.headers);
  if (!who) throw new RouteError(401, 'sign in as an instructor first');
  return who;
}

export async function workshopFor(req: Request, id: string, action: WorkshopAction) {
  const who = await instructor(req);
  const workshop = await services().workshops.find(id);
  assertCan(who, action, workshop);
  return { who, workshop: workshop! };
}

export const attendeeCookieName = (workshopId: string) => `labdock_attendee_${workshopId}`;

export function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Heartbeat comments keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * A Server-Sent Events response: `send()` on every change of `workshopId`
 * (coalesced to one per 250 ms: a burst of checks is one update), once at the
 * start, and every `everyMs` (time left counts down).
 */
export function sseResponse(req: Request, workshopId: string, send: () => Promise<unknown>, everyMs = 10_000): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let pending: ReturnType<typeof setTimeout> | null = null;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const push = () => {
        send().then((data) => write(`data: ${JSON.stringify(data)}\n\n`), (err: Error) => write(`event: failure\ndata: ${JSON.stringify(err.message)}\n\n`));
      };
      const soon = () => {
        pending ??= setTimeout(() => {
          pending = null;
          push();
        }, 250);
      };
      const off = services().workshops.events.on(workshopId, soon);
      const tick = setInterval(push, everyMs);
      const beat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        off();
        clearInterval(tick);
        clearInterval(beat);
        if (pending) clearTimeout(pending);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      req.signal.addEventListener('abort', cleanup);
      push();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
}
