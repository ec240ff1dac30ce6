/**
 * Pause and resume (issue #14). Pausing stops every node of a ready session
 * cleanly and keeps them — files, volumes, network, step progress — and gives
 * its room back to admission: a paused session holds nothing but disk.
 * Resuming books room again (refused with 429 when the host is full), starts
 * the same nodes, and shows progress while they come up. A resume that fails
 * stops what it started and leaves the session paused, with the reason.
 *
 *   await pauseSession(deps, id);                       // status 'paused', booking released
 *   const { job } = await resumeSession(deps, id, client);  // status 'starting' → 'ready'
 */
import type { CompiledLab } from '../labs/lab-types';
import type { Provisioner } from '../provisioner/provisioner';
import type { SessionCost } from '../admission/capacity';
import { HttpError } from '../http/http-error';
import { REGISTRY_NODE, REGISTRY_READY_COMMAND } from '../registry-host/start-registry';
import type { Booking, ClientIdentity } from './session-admission';
import type { SessionRecord, SessionStore, Stage } from './session-store';

export interface PauseDeps {
  store: SessionStore;
  provisionerOf(row: SessionRecord): Provisioner;
  closeTerminals(id: string): void;
  /** Gives the session's booking back. */
  release(id: string): void;
  log(message: string): void;
  now(): Date;
}

export interface ResumeDeps extends PauseDeps {
  loadLab(id: string): Promise<CompiledLab>;
  costOf(lab: CompiledLab, provisioner: Provisioner): SessionCost;
  admit(cost: SessionCost, client: ClientIdentity | undefined): Promise<Booking>;
  hold(id: string, booking: Booking, expiresAt: Date): void;
  ttlMinutes: number;
  /** How long the registry may take to answer after its node started. */
  readyTimeoutMs?: number;
}

/** The first stage of a resume's progress: a restarted server recognises a session that was resuming by it. */
export const RESUME_STAGE = 'resume';

export async function pauseSession(deps: PauseDeps, id: string, why = 'paused'): Promise<void> {
  const row = await deps.store.find(id);
  if (!row) throw new HttpError(404, 'no such session');
  if (row.status === 'paused') return;
  if (row.status !== 'ready') throw new HttpError(409, `a ${row.status} session cannot be paused`);
  const provisioner = deps.provisionerOf(row);
  if (!provisioner.pauseSession || !provisioner.resumeSession) throw new HttpError(409, `sessions on the ${provisioner.kind} back end cannot be paused`);
  deps.closeTerminals(id);
  await provisioner.pauseSession(id);
  await deps.store.markPaused(id, deps.now());
  deps.release(id);
  deps.log(`session ${id} (${row.labId}) paused (${why})`);
}

/** Books room and starts the resume; `job` settles once the session is ready or paused again. */
export async function resumeSession(deps: ResumeDeps, id: string, client: ClientIdentity | undefined): Promise<{ job: Promise<void> }> {
  const row = await deps.store.find(id);
  if (!row) throw new HttpError(404, 'no such session');
  if (row.status === 'ready' || row.status === 'starting') return { job: Promise.resolve() };
  if (row.status !== 'paused') throw new HttpError(row.status === 'ended' ? 410 : 409, row.status === 'ended' ? (row.error ?? 'this session has ended') : `a ${row.status} session cannot be resumed`);
  const lab = await deps.loadLab(row.labId);
  const provisioner = deps.provisionerOf(row);
  if (!provisioner.resumeSession) throw new HttpError(409, `sessions on the ${provisioner.kind} back end cannot be resumed`);
  // Booked before anything starts: a full host refuses here (429 with Retry-After), and nothing was started.
  const booking = await deps.admit(deps.costOf(lab, provisioner), client);
  const at = deps.now();
  const expiresAt = new Date(at.getTime() + deps.ttlMinutes * 60_000);
  const registry = !!JSON.parse(row.vars)['registry.hostname'];
  const progress: Stage[] = [
    { stage: RESUME_STAGE, state: 'running' },
    ...(registry ? [{ stage: 'registry', state: 'running' as const }] : []),
    ...row.nodes.map((n) => ({ stage: `node ${n.name}`, state: 'running' as const })),
  ];
  try {
    await deps.store.setProgress(id, progress);
    await deps.store.markResumed(id, at, expiresAt);
  } catch (err) {
    booking.release();
    throw err;
  }
  deps.hold(id, booking, expiresAt);
  const mark = async (stage: string, state: Stage['state'], error?: string) => {
    const s = progress.find((p) => p.stage === stage);
    if (s) Object.assign(s, { state }, error ? { error } : {});
    await deps.store.setProgress(id, progress);
  };
  const job = (async () => {
    try {
      await provisioner.resumeSession!(id);
      if (registry) {
        await waitForRegistry(provisioner, id, deps.readyTimeoutMs ?? 60_000);
        await mark('registry', 'done');
      }
      for (const n of row.nodes) {
        if (!(await provisioner.isNodeAlive(id, n.name))) throw new Error(`node ${n.name} did not start`);
        await mark(`node ${n.name}`, 'done');
      }
      await mark(RESUME_STAGE, 'done');
      await deps.store.setStatus(id, 'ready');
      deps.log(`session ${id} (${row.labId}) resumed`);
    } catch (err) {
      // Nothing is lost: stop what started and stay paused, saying why, so the learner can try again.
      const message = `resume failed: ${(err as Error).message}`;
      deps.log(`session ${id}: ${message}`);
      await mark(RESUME_STAGE, 'failed', (err as Error).message).catch(() => undefined);
      await provisioner.pauseSession?.(id).catch((e: Error) => deps.log(`re-pausing ${id}: ${e.message}`));
      await deps.store.markPaused(id, row.pausedAt ?? deps.now()).catch(() => undefined);
      await deps.store.setStatus(id, 'paused', message).catch(() => undefined);
      deps.release(id);
    }
  })();
  return { job };
}

async function waitForRegistry(provisioner: Provisioner, id: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  const command = REGISTRY_READY_COMMAND.map((a) => `'${a}'`).join(' ');
  for (;;) {
    const r = await provisioner.exec(id, REGISTRY_NODE, `${command} >/dev/null 2>&1`, { timeoutMs: 10_000 }).catch(() => ({ exitCode: 1 }));
    if (r.exitCode === 0) return;
    if (Date.now() > until) throw new Error(`the registry did not answer within ${Math.round(timeoutMs / 1000)} s`);
    // 200 ms: the control plane answers ~1 s after its node starts.
    await new Promise((r) => setTimeout(r, 200));
  }
}
