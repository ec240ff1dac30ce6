/**
 * Webhooks: an HTTP POST of each matching event to a URL, as DTR sent them —
 * `{type, createdAt, contents, location}` — with retries and backoff, and a
 * record of recent deliveries per hook. A hook matches an event type and a
 * key: a repository (`admin/alpine`), a namespace (`admin`) or '' for all.
 * Stored on the registry node's volume.
 *
 *   const hooks = openWebhooks({ file, log });
 *   hooks.create({ type: 'TAG_PUSH', key: 'admin/alpine', endpoint: 'http://ci:8080/hook' }, 'admin');
 *   bus.subscribe(hooks.deliver);
 */
import { randomUUID } from 'node:crypto';
import { repositoryOf, type EventType, type PublishedEvent } from './event-bus';
import { openJsonStore } from '../storage/json-file';

export interface Webhook {
  id: string;
  type: EventType;
  key: string;
  endpoint: string;
  createdBy: string;
  createdAt: string;
  inactive: boolean;
}

export interface Delivery {
  eventId: string;
  type: EventType;
  at: string;
  attempts: number;
  /** HTTP status of the last attempt, or 0 when it could not connect. */
  status: number;
  ok: boolean;
  error?: string;
}

export interface WebhookOptions {
  file: string;
  log?: (message: string) => void;
  /** Delays before each retry; DTR retried a few times over some seconds. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

/** Three more tries, 1 s, 3 s and 9 s apart: long enough for a restarting receiver, short enough to finish within a lab step. */
const RETRY_DELAYS_MS = [1000, 3000, 9000];
const TIMEOUT_MS = 5000;
const DELIVERIES_KEPT = 20;

export function keyMatches(key: string, repository: string | undefined): boolean {
  if (!key) return true;
  if (!repository) return false;
  return key.includes('/') ? key === repository : repository.startsWith(`${key}/`);
}

export function openWebhooks(options: WebhookOptions) {
  const log = options.log ?? ((m: string) => console.log(`[webhooks] ${m}`));
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const deliveries = new Map<string, Delivery[]>();
  const store = openJsonStore<Webhook[]>(options.file, () => []);
  const read = (): readonly Webhook[] => store.read();

  async function post(hook: Webhook, event: PublishedEvent): Promise<void> {
    const { id, type, createdAt, ...contents } = event;
    const payload = JSON.stringify({ type, createdAt, contents, location: repositoryOf(event) ? `/repositories/${repositoryOf(event)}` : '/' });
    const record: Delivery = { eventId: id, type, at: new Date().toISOString(), attempts: 0, status: 0, ok: false };
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
      record.attempts = attempt + 1;
      try {
        const res = await fetch(hook.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'labdock-registry-webhooks' }, body: payload, signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS) });
        record.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          record.ok = true;
          delete record.error;
          break;
        }
        record.error = `answered ${res.status}`;
      } catch (err) {
        record.status = 0;
        record.error = (err as Error).message;
      }
    }
    if (!record.ok) log(`${hook.type} to ${hook.endpoint} failed after ${record.attempts} attempts: ${record.error}`);
    const list = deliveries.get(hook.id) ?? [];
    list.unshift(record);
    deliveries.set(hook.id, list.slice(0, DELIVERIES_KEPT));
  }

  return {
    list: read,
    get: (id: string) => read().find((h) => h.id === id),
    create(spec: Pick<Webhook, 'type' | 'key' | 'endpoint'>, createdBy: string): Webhook {
      const hook: Webhook = { id: randomUUID(), ...spec, createdBy, createdAt: new Date().toISOString(), inactive: false };
      store.update((hooks) => void hooks.push(hook));
      return hook;
    },
    update(id: string, patch: Partial<Pick<Webhook, 'inactive' | 'endpoint'>>): Webhook | undefined {
      if (!read().some((h) => h.id === id)) return undefined;
      return store.update((hooks) => Object.assign(hooks.find((h) => h.id === id)!, patch));
    },
    remove(id: string): boolean {
      if (!read().some((h) => h.id === id)) return false;
      store.update((hooks) => void hooks.splice(hooks.findIndex((h) => h.id === id), 1));
      deliveries.delete(id);
      return true;
    },
    deliveries: (id: string) => deliveries.get(id) ?? [],
    /** The bus subscriber: sends the event to every active hook that matches it. Resolves when all attempts are over. */
    async deliver(event: PublishedEvent): Promise<void> {
      const hooks = read().filter((h) => !h.inactive && h.type === event.type && keyMatches(h.key, repositoryOf(event)));
      await Promise.all(hooks.map((h) => post(h, event)));
    },
  };
}

export type Webhooks = ReturnType<typeof openWebhooks>;
