/**
 * Keeping the engine tidy: sessions past their lifetime or idle too long are
 * paused (or ended, with sessions.pauseOnExpiry off, or when pausing fails);
 * paused sessions past their retention are deleted, and the oldest paused
 * first while the host's free disk is below sessions.minFreeDiskMb; engine
 * resources that no live or paused session owns are swept; after a restart,
 * sessions whose nodes survived are adopted and the rest failed.
 */
import { statfsSync } from 'node:fs';
import type { Config } from '../config/config';
import type { Provisioner, ProvisionerKind } from '../provisioner/provisioner';
import type { SessionStore } from './session-store';
import { REGISTRY_NODE } from '../registry-host/start-registry';
import { RESUME_STAGE } from './pause-session';

export interface ReapDeps {
  store: SessionStore;
  provisioners: Partial<Record<ProvisionerKind, Provisioner>>;
  config: { sessions: Pick<Config['sessions'], 'idleMinutes' | 'retentionDays' | 'minFreeDiskMb' | 'pauseOnExpiry'> };
  log(message: string): void;
  now(): Date;
  isStarting(id: string): boolean;
  end(id: string, reason: string): Promise<void>;
  /** Pauses a ready session (absent: expiry ends sessions). */
  pause?(id: string, why: string): Promise<void>;
  /** Free disk in MiB where paused sessions are kept. */
  freeDiskMb?(): number;
}

/** What a learner who comes back to a session deleted by retention is told. */
export function retentionReason(days: number): string {
  return `This session was deleted after ${formatDays(days)} paused (the retention of paused sessions on this server). Start the lab again.`;
}

export function diskReason(): string {
  return 'This session was deleted while paused: the server ran low on disk and deletes the oldest paused sessions first. Start the lab again.';
}

export async function reapSessions(deps: ReapDeps): Promise<{ ended: string[]; paused: string[]; deleted: string[]; orphans: string[] }> {
  const { store, provisioners, config, log } = deps;
  const t = deps.now().getTime();
  const ended: string[] = [];
  const paused: string[] = [];
  for (const row of await store.live()) {
    if (deps.isStarting(row.id)) continue;
    const expired = row.expiresAt.getTime() <= t;
    const idle = row.lastActiveAt.getTime() + config.sessions.idleMinutes * 60_000 <= t;
    if (!expired && !idle) continue;
    const why = expired ? 'expired' : 'idle timeout';
    // Expiry keeps the learner's work: the session is paused, and ended only if it cannot be.
    if (config.sessions.pauseOnExpiry && deps.pause && row.status === 'ready') {
      const ok = await deps.pause(row.id, why).then(() => true, (e: Error) => (log(`pausing ${row.id}: ${e.message}`), false));
      if (ok) {
        paused.push(row.id);
        continue;
      }
    }
    await deps.end(row.id, why).catch((e) => log(`reaping ${row.id}: ${(e as Error).message}`));
    ended.push(row.id);
  }
  const deleted = await deleteStalePaused(deps, t);
  const live = new Set(await store.kept());
  const orphans: string[] = [];
  for (const p of Object.values(provisioners)) {
    for (const sid of await p.listSessions()) {
      if (live.has(sid) || deps.isStarting(sid)) continue;
      await p.destroySession(sid).catch((e) => log(`sweeping ${sid}: ${(e as Error).message}`));
      orphans.push(sid);
    }
  }
  return { ended, paused, deleted, orphans };
}

/** Paused sessions past retention, then (oldest paused first) while free disk is below the floor. */
async function deleteStalePaused(deps: ReapDeps, t: number): Promise<string[]> {
  const { config, store, log } = deps;
  const deleted: string[] = [];
  const rows = await store.paused();
  const retentionMs = config.sessions.retentionDays * 86_400_000;
  const remove = async (id: string, reason: string) => {
    await deps.end(id, reason).then(() => deleted.push(id), (e: Error) => log(`deleting paused ${id}: ${e.message}`));
  };
  for (const row of rows) {
    if (!deps.isStarting(row.id) && (row.pausedAt?.getTime() ?? 0) + retentionMs <= t) await remove(row.id, retentionReason(config.sessions.retentionDays));
  }
  if (config.sessions.minFreeDiskMb > 0 && deps.freeDiskMb) {
    for (const row of rows) {
      if (deleted.includes(row.id) || deps.isStarting(row.id)) continue;
      if (deps.freeDiskMb() >= config.sessions.minFreeDiskMb) break;
      log(`free disk below ${config.sessions.minFreeDiskMb} MiB: deleting paused session ${row.id} (${row.labId}), paused since ${row.pausedAt?.toISOString()}`);
      await remove(row.id, diskReason());
    }
  }
  return deleted;
}

/** Free space (MiB) of the filesystem holding `dir`, as an unprivileged user sees it. */
export function freeDiskMb(dir: string): number {
  const s = statfsSync(dir);
  return Math.floor((Number(s.bavail) * Number(s.bsize)) / 1024 / 1024);
}

function formatDays(days: number): string {
  if (days >= 1) return `${Number(days.toFixed(1))} day${days === 1 ? '' : 's'}`;
  const minutes = Math.round(days * 24 * 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export interface AdoptDeps extends ReapDeps {
  /** Recreates a lost lab node (null: it cannot be, the session fails). */
  recoverNode(row: { id: string }, name: string): Promise<string | null>;
  /** Books the room of a session that is kept. */
  restore(id: string): Promise<void>;
}

/**
 * After a restart: sessions whose nodes run are kept; a lost lab node is
 * recreated (and the session's progress says so) rather than the session
 * destroyed; sessions that were starting, or lost their registry, fail.
 */
export async function adoptSessions(deps: AdoptDeps): Promise<{ adopted: string[]; failed: string[]; recovered: string[] }> {
  const { store, provisioners } = deps;
  const adopted: string[] = [];
  const failed: string[] = [];
  const recovered: string[] = [];
  for (const row of await store.live()) {
    const full = (await store.find(row.id))!;
    const provisioner = provisioners[row.provisioner as ProvisionerKind];
    let reason: string | null = null;
    if (!provisioner) reason = `no ${row.provisioner} provisioner on this server`;
    else if (row.status === 'starting' && JSON.parse(row.progress).some((s: { stage: string }) => s.stage === RESUME_STAGE) && provisioner.pauseSession) {
      // It was resuming: nothing of it is lost by stopping it again; the learner resumes once more.
      await provisioner.pauseSession(row.id).catch((e: Error) => deps.log(`re-pausing ${row.id}: ${e.message}`));
      await store.markPaused(row.id, deps.now());
      deps.log(`session ${row.id} was resuming when the server stopped: paused again`);
      continue;
    } else if (row.status === 'starting') reason = 'the server restarted while the session was starting';
    else {
      const restarted = await provisioner.restoreSession?.(row.id).catch((e: Error) => {
        deps.log(`restoring ${row.id}: ${e.message}`);
        return [];
      });
      if (restarted?.length) deps.log(`session ${row.id}: restarted ${restarted.join(', ')}`);
      const vars = JSON.parse(full.vars) as Record<string, string>;
      // The registry first: lab nodes are recreated trusting its CA, read back from it.
      const names = [...(vars['registry.hostname'] ? [REGISTRY_NODE] : []), ...full.nodes.map((n) => n.name)];
      for (const name of names) {
        if (await provisioner.isNodeAlive(row.id, name)) continue;
        const why = await deps.recoverNode(row, name).catch((e: Error) => `node ${name} was lost and could not be recreated: ${e.message}`);
        if (why) {
          reason = why;
          break;
        }
        recovered.push(`${row.id}/${name}`);
        deps.log(`session ${row.id}: node ${name} was lost while the server was down and has been recreated`);
      }
    }
    if (reason) {
      await provisioner?.destroySession(row.id).catch(() => undefined);
      await store.setStatus(row.id, 'failed', reason);
      failed.push(row.id);
    } else {
      await deps.restore(row.id);
      adopted.push(row.id);
    }
  }
  await reapSessions(deps);
  return { adopted, failed, recovered };
}
