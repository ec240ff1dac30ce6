/**
 * The registry's internal event bus: typed events from Distribution's
 * notifications (pushes, pulls, deletes by digest) and from the control plane
 * itself (tag soft deletes, repository deletes, garbage collection, and later
 * scans and promotions). Webhooks, the activity log and jobs subscribe; a
 * subscriber that throws is logged and never stops the others.
 *
 *   const bus = createEventBus();
 *   const off = bus.subscribe((e) => e.type === 'TAG_PUSH' && scan(e.repository, e.tag));
 *   bus.publish({ type: 'TAG_DELETE', repository: 'admin/alpine', tag: '3.3', actor: 'admin' });
 */
export const EVENT_TYPES = ['TAG_PUSH', 'TAG_PULL', 'TAG_DELETE', 'MANIFEST_DELETE', 'REPO_DELETE', 'GC_COMPLETED', 'SCAN_COMPLETED', 'SCAN_FAILED', 'PROMOTION'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface RegistryEvent {
  type: EventType;
  /** `namespace/name`; absent for registry-wide events (garbage collection). */
  repository?: string;
  tag?: string;
  digest?: string;
  /** Who did it; '' when Distribution could not say and nobody was correlated. */
  actor?: string;
  /** Anything else the event carries (scan summary, promotion target, bytes freed…). */
  details?: Record<string, unknown>;
}

export type PublishedEvent = RegistryEvent & { id: string; createdAt: string };
export type Subscriber = (event: PublishedEvent) => void | Promise<void>;

export function createEventBus(log: (message: string) => void = (m) => console.log(`[events] ${m}`)) {
  const subscribers = new Set<Subscriber>();
  let sequence = 0;
  return {
    publish(event: RegistryEvent): PublishedEvent {
      const published: PublishedEvent = { ...event, id: `${Date.now().toString(36)}-${(sequence++).toString(36)}`, createdAt: new Date().toISOString() };
      for (const s of subscribers) {
        try {
          void Promise.resolve(s(published)).catch((err: Error) => log(`subscriber failed on ${event.type}: ${err.message}`));
        } catch (err) {
          log(`subscriber failed on ${event.type}: ${(err as Error).message}`);
        }
      }
      return published;
    },
    subscribe(s: Subscriber): () => void {
      subscribers.add(s);
      return () => subscribers.delete(s);
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;
