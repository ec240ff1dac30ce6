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
 *
 * Events are a discriminated union on `type`: each kind says which fields it
 * carries, and what its `details` hold (the wire shape of the activity log
 * and of webhook payloads is unchanged), so subscribers narrow instead of
 * casting.
 */
import type { ScanSummary } from '../scanning/service/scan-store';

export const EVENT_TYPES = ['TAG_PUSH', 'TAG_PULL', 'TAG_DELETE', 'MANIFEST_DELETE', 'REPO_DELETE', 'GC_COMPLETED', 'SCAN_COMPLETED', 'SCAN_FAILED', 'PROMOTION'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Who did it; '' when Distribution could not say and nobody was correlated. */
interface Happened {
  actor: string;
}

/** A tag of a repository (`namespace/name`) and the manifest it names. */
interface OfTag extends Happened {
  repository: string;
  tag: string;
  digest: string;
}

export type TagEvent = OfTag & { type: 'TAG_PUSH' | 'TAG_PULL' };
export type TagDeleteEvent = Happened & { type: 'TAG_DELETE'; repository: string; tag: string; details?: { reason: string } };
export type ManifestDeleteEvent = Happened & { type: 'MANIFEST_DELETE'; repository: string; digest: string };
export type RepoDeleteEvent = Happened & { type: 'REPO_DELETE'; repository: string };
/** Registry-wide: no repository. */
export type GcEvent = Happened & { type: 'GC_COMPLETED'; details: { freedBytes: number; blobsDeleted: number; jobId: string } };
export type ScanEvent = OfTag & {
  type: 'SCAN_COMPLETED' | 'SCAN_FAILED';
  /** `components`: the package names found, for promotion rules on component_name. */
  details: { summary: ScanSummary | null; components: string[]; dbVersion: string | null; error?: string };
};
export type PromotionEvent = OfTag & { type: 'PROMOTION'; details: { policyId: string; target: string } };

export type RegistryEvent = TagEvent | TagDeleteEvent | ManifestDeleteEvent | RepoDeleteEvent | GcEvent | ScanEvent | PromotionEvent;

export type PublishedEvent = RegistryEvent & { id: string; createdAt: string };

/** The repository an event is about; undefined for registry-wide ones. */
export function repositoryOf(e: RegistryEvent): string | undefined {
  return 'repository' in e ? e.repository : undefined;
}
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
