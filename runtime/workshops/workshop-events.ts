/**
 * "Something changed in workshop X": joins, step results, actions and
 * broadcasts announce themselves here; the dashboard and attendee streams
 * listen. In-process, like the rest of labdock's live state.
 *
 *   const events = createWorkshopEvents();
 *   const stop = events.on(workshopId, () => push());
 *   events.emit(workshopId);
 */
import { EventEmitter } from 'node:events';

export function createWorkshopEvents() {
  const emitter = new EventEmitter();
  // One listener per open dashboard or attendee player: a 500-seat workshop must not warn.
  emitter.setMaxListeners(0);
  return {
    emit(workshopId: string): void {
      emitter.emit(workshopId);
    },
    /** Open listeners of a workshop (dashboards and players), for tests and metrics. */
    listeners(workshopId: string): number {
      return emitter.listenerCount(workshopId);
    },
    on(workshopId: string, listener: () => void): () => void {
      emitter.on(workshopId, listener);
      return () => emitter.off(workshopId, listener);
    },
  };
}

export type WorkshopEvents = ReturnType<typeof createWorkshopEvents>;
