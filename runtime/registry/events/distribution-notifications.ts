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
 *   receive.rememberActor('admin/alpine', digest, 'admin'); // when the control plane proxies the push
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { EventBus, RegistryEvent } from './event-bus';

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
export function eventsFromEnvelope(envelope: unknown): RegistryEvent[] {
  const events = (envelope as { events?: DistributionEvent[] })?.events;
  if (!Array.isArray(events)) throw new Error('not a notification envelope: no events array');
  const out: RegistryEvent[] = [];
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
  const actors = new Map<string, { actor: string; until: number }>();
  const waiting = new Map<string, { event: RegistryEvent; timer: NodeJS.Timeout }[]>();
  const expected = Buffer.from(`Bearer ${deps.token}`);

  function publishWithActor(e: RegistryEvent) {
    const key = `${e.repository}@${e.digest}`;
    const hit = actors.get(key);
    if (e.actor || (hit && hit.until > Date.now())) return void deps.bus.publish({ ...e, actor: e.actor || hit!.actor });
    const entry = { event: e, timer: setTimeout(() => flush(key, entry), ACTOR_WAIT_MS) };
    waiting.set(key, [...(waiting.get(key) ?? []), entry]);
  }

  function flush(key: string, only?: { event: RegistryEvent; timer: NodeJS.Timeout }) {
    const list = waiting.get(key) ?? [];
    const now = list.filter((w) => !only || w === only);
    const rest = list.filter((w) => only && w !== only);
    if (rest.length) waiting.set(key, rest);
    else waiting.delete(key);
    const actor = actors.get(key)?.actor ?? '';
    for (const w of now) {
      clearTimeout(w.timer);
      deps.bus.publish({ ...w.event, actor });
    }
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
      let events: RegistryEvent[];
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
    /** The control plane proxied a push of this manifest for `actor`. */
    rememberActor(repository: string, digest: string, actor: string) {
      const now = Date.now();
      for (const [k, v] of actors) if (v.until < now) actors.delete(k);
      const key = `${repository}@${digest}`;
      actors.set(key, { actor, until: now + ACTOR_TTL_MS });
      if (waiting.has(key)) flush(key);
    },
  });
}

export type NotificationReceiver = ReturnType<typeof createNotificationReceiver>;
