/**
 * Keeping the engine tidy: sessions past their lifetime or idle too long are
 * ended; engine resources that no live session owns are swept; after a
 * restart, sessions whose nodes survived are adopted and the rest failed.
 */
import type { Config } from '../config/config';
import type { Provisioner, ProvisionerKind } from '../provisioner/provisioner';
import type { SessionStore } from './session-store';
import { REGISTRY_NODE } from '../registry-host/start-registry';

export interface ReapDeps {
  store: SessionStore;
  provisioners: Partial<Record<ProvisionerKind, Provisioner>>;
  config: Pick<Config, 'sessions'>;
  log(message: string): void;
  now(): Date;
  isStarting(id: string): boolean;
  end(id: string, reason: string): Promise<void>;
}

export async function reapSessions(deps: ReapDeps): Promise<{ ended: string[]; orphans: string[] }> {
  const { store, provisioners, config, log } = deps;
  const t = deps.now().getTime();
  const ended: string[] = [];
  for (const row of await store.live()) {
    if (deps.isStarting(row.id)) continue;
    const expired = row.expiresAt.getTime() <= t;
    const idle = row.lastActiveAt.getTime() + config.sessions.idleMinutes * 60_000 <= t;
    if (!expired && !idle) continue;
    await deps.end(row.id, expired ? 'expired' : 'idle timeout').catch((e) => log(`reaping ${row.id}: ${(e as Error).message}`));
    ended.push(row.id);
  }
  const live = new Set((await store.live()).map((r) => r.id));
  const orphans: string[] = [];
  for (const p of Object.values(provisioners)) {
    for (const sid of await p.listSessions()) {
      if (live.has(sid) || deps.isStarting(sid)) continue;
      await p.destroySession(sid).catch((e) => log(`sweeping ${sid}: ${(e as Error).message}`));
      orphans.push(sid);
    }
  }
  return { ended, orphans };
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
    else if (row.status === 'starting') reason = 'the server restarted while the session was starting';
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
