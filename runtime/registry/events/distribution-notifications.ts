/**
 * Distribution's notifications (docs/notifications.md) turned into registry
 * events. Distribution POSTs envelopes of events to an endpoint its config
 * names; it knows the repository, digest and tag but not the user (it runs
 * without auth behind the control plane), so the control plane tells who
 * pushed or pulled which manifest and the events are completed from that.
 * Distribution often notifies before the control plane has seen its answer:
 * an event without its actor waits for it a moment.
 *
 *   const receive = createNotificationReceiver({ bus, token });
 *   http.createServer(receive).listen(5002, '127.0.0.1');   // Distribution's endpoint
 *   receive.rememberActor('push', 'admin/alpine', digest, 'admin'); // when the control plane proxies the push
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { EventBus, ManifestDeleteEvent, TagEvent } from './event-bus';

/** What Distribution's notifications become. */
type DistributionRegistryEvent = TagEvent | ManifestDeleteEvent;

export const ENVELOPE_MEDIA_TYPE = 'application/vnd.docker.distribution.events.v1+json';
const MANIFEST_TYPES = /manifest|image\.index/;
/** Distribution delivers within a second or two; an actor is remembered this long. */
const ACTOR_TTL_MS = 60_000;
/** How long an event waits for the control plane to say who caused it. */
const ACTOR_WAIT_MS = 2000;
/** Envelopes carry a handful of events; 4 MiB is far beyond any real one. */
const MAX_ENVELOPE = 4 * 1024 * 1024;

interface DistributionEvent {
  action?: string;
  target?: { mediaType?: string; digest?: string; repository?: string; tag?: string };
  actor?: { name?: string };
}

/** The events worth publishing from one envelope: manifest pushes with a tag, manifest pulls by tag, manifest deletes. */
export function eventsFromEnvelope(envelope: unknown): DistributionRegistryEvent[] {
  const events = (envelope as { events?: DistributionEvent[] })?.events;
  if (!Array.isArray(events)) throw new Error('not a notification envelope: no events array');
  const out: DistributionRegistryEvent[] = [];
  for (const e of events) {
    const t = e.target ?? {};
    if (!t.repository || !t.digest) continue;
    const manifest = MANIFEST_TYPES.test(t.mediaType ?? '');
    const base = { repository: t.repository, digest: t.digest, actor: e.actor?.name ?? '' };
    if (e.action === 'push' && manifest && t.tag) out.push({ type: 'TAG_PUSH', ...base, tag: t.tag });
    else if (e.action === 'pull' && manifest && t.tag) out.push({ type: 'TAG_PULL', ...base, tag: t.tag });
    // Deletes carry no media type: Distribution only deletes manifests by digest through its API.
    else if (e.action === 'delete' && !t.tag) out.push({ type: 'MANIFEST_DELETE', ...base });
  }
  return out;
}

export function createNotificationReceiver(deps: { bus: EventBus; token: string; log?: (m: string) => void }) {
  const log = deps.log ?? ((m: string) => console.log(`[events] ${m}`));
  // Who fetched or pushed each manifest, one entry per request, oldest first: each event takes
  // the oldest entry of its kind (Distribution sends one event per request, in order).
  const actors = new Map<string, { actor: string; until: number }[]>();
  // Events that arrived before the control plane saw the answer of their request.
  const waiting = new Map<string, { event: DistributionRegistryEvent; timer: NodeJS.Timeout }[]>();
  const expected = Buffer.from(`Bearer ${deps.token}`);
  const keyOf = (e: DistributionRegistryEvent) => `${e.type === 'TAG_PUSH' ? 'push' : 'pull'}:${e.repository}@${e.digest}`;

  function takeActor(key: string): string | undefined {
    const now = Date.now();
    const list = (actors.get(key) ?? []).filter((a) => a.until > now);
    const first = list.shift();
    if (list.length) actors.set(key, list);
    else actors.delete(key);
    return first?.actor;
  }

  function publishWithActor(e: DistributionRegistryEvent) {
    if (e.actor || e.type === 'MANIFEST_DELETE') return void deps.bus.publish(e);
    const key = keyOf(e);
    const actor = takeActor(key);
    if (actor !== undefined) return void deps.bus.publish({ ...e, actor });
    const entry = { event: e, timer: setTimeout(() => release(key, entry), ACTOR_WAIT_MS) };
    waiting.set(key, [...(waiting.get(key) ?? []), entry]);
  }

  /** An event waited long enough: out it goes, without an actor. */
  function release(key: string, entry: { event: DistributionRegistryEvent; timer: NodeJS.Timeout }) {
    const rest = (waiting.get(key) ?? []).filter((w) => w !== entry);
    if (rest.length) waiting.set(key, rest);
    else waiting.delete(key);
    deps.bus.publish({ ...entry.event, actor: '' });
  }

  const receive = (req: IncomingMessage, res: ServerResponse) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_ENVELOPE) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_ENVELOPE) return void res.writeHead(413).end();
      let events: DistributionRegistryEvent[];
      try {
        events = eventsFromEnvelope(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        log(`dropped a malformed notification: ${(err as Error).message}`);
        // 200 anyway: Distribution would otherwise retry a body that will never parse.
        return void res.writeHead(200).end();
      }
      for (const e of events) publishWithActor(e);
      res.writeHead(200).end();
    });
  };

  return Object.assign(receive, {
    /** The control plane proxied a push (PUT) or a fetch (GET, HEAD) of this manifest for `actor`. */
    rememberActor(action: 'push' | 'pull', repository: string, digest: string, actor: string) {
      const key = `${action}:${repository}@${digest}`;
      const pending = waiting.get(key);
      if (pending?.length) {
        const first = pending.shift()!;
        clearTimeout(first.timer);
        if (!pending.length) waiting.delete(key);
        return void deps.bus.publish({ ...first.event, actor });
      }
      const now = Date.now();
      for (const [k, list] of actors) if (list.every((a) => a.until < now)) actors.delete(k);
      actors.set(key, [...(actors.get(key) ?? []), { actor, until: now + ACTOR_TTL_MS }]);
    },
  });
}

export type NotificationReceiver = ReturnType<typeof createNotificationReceiver>;
