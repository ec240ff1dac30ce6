/**
 * Data access for sessions over Prisma: the only place that knows how a
 * session is laid out in SQLite (JSON columns for progress and variables).
 * Variables (they hold the registry admin's password) and the platform
 * secret are sealed with the data directory's key on the way in and opened on
 * the way out: nothing above this file sees ciphertext, SQLite never sees clear text.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database';
import { secretBox, type SecretBox } from '../secrets/secret-box';
import type { SessionView, StageState } from '../services';

export type Stage = { stage: string; state: StageState; error?: string };
export type SessionStatus = SessionView['status'];

export interface NewSessionRow {
  id: string;
  labId: string;
  tokenHash: string;
  provisioner: 'docker' | 'local';
  progress: Stage[];
  vars: Record<string, string>;
  /** The server's own password for the session registry (null without one). */
  platformSecret: string | null;
  expiresAt: Date;
  clientAddress?: string | null;
  clientBrowser?: string | null;
}

/**
 * Without a box (tests that build a store by hand) values are sealed with a key
 * that lives as long as the process; the server always passes the data directory's box.
 */
let processBox: SecretBox | null = null;

export function createSessionStore(db: Db, box: SecretBox = (processBox ??= secretBox(randomBytes(32)))) {
  const open = <R extends { vars: string; platformSecret: string | null }>(row: R): R =>
    ({ ...row, vars: box.open(row.vars), platformSecret: row.platformSecret === null ? null : box.open(row.platformSecret) });
  return {
    async insert(row: NewSessionRow): Promise<void> {
      await db.session.create({
        data: {
          ...row, status: 'starting', progress: JSON.stringify(row.progress),
          vars: box.seal(JSON.stringify(row.vars)), platformSecret: row.platformSecret === null ? null : box.seal(row.platformSecret),
        },
      });
    },

    async find(id: string) {
      const row = await db.session.findUnique({ where: { id }, include: { nodes: true, steps: true } });
      return row && open(row);
    },

    /** Seals rows an earlier labdock wrote in clear; returns how many it sealed. */
    async sealPlaintext(): Promise<number> {
      const rows = await db.session.findMany({ select: { id: true, vars: true, platformSecret: true } });
      let sealed = 0;
      for (const r of rows) {
        const clearVars = !box.isSealed(r.vars);
        const clearSecret = r.platformSecret !== null && !box.isSealed(r.platformSecret);
        if (!clearVars && !clearSecret) continue;
        await db.session.update({
          where: { id: r.id },
          data: { ...(clearVars ? { vars: box.seal(r.vars) } : {}), ...(clearSecret ? { platformSecret: box.seal(r.platformSecret!) } : {}) },
        });
        sealed++;
      }
      return sealed;
    },

    async setProgress(id: string, progress: Stage[]): Promise<void> {
      await db.session.update({ where: { id }, data: { progress: JSON.stringify(progress) } });
    },

    async setStatus(id: string, status: SessionStatus, error?: string): Promise<void> {
      await db.session.update({
        where: { id },
        data: { status, error: error ?? null, ...(status === 'ended' ? { endedAt: new Date() } : {}) },
      });
    },

    async setNodes(id: string, nodes: { name: string; hostname: string; ref: string }[]): Promise<void> {
      await db.$transaction([
        db.node.deleteMany({ where: { sessionId: id } }),
        ...nodes.map((n) => db.node.create({ data: { sessionId: id, ...n } })),
      ]);
    },

    async clearProgress(id: string): Promise<void> {
      await db.stepProgress.deleteMany({ where: { sessionId: id } });
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.session.updateMany({ where: { id, status: { in: ['starting', 'ready'] } }, data: { lastActiveAt: at } });
    },

    async recordCheck(id: string, stepId: string, passed: boolean, message: string, durationMs: number): Promise<void> {
      await db.$transaction([
        db.checkResult.create({ data: { sessionId: id, stepId, passed, message, durationMs } }),
        // A step once passed stays passed: a later failing re-check (the learner
        // moved on and changed state) must not take away progress.
        passed
          ? db.stepProgress.upsert({
              where: { sessionId_stepId: { sessionId: id, stepId } },
              create: { sessionId: id, stepId, passed, message },
              update: { passed, message, checkedAt: new Date() },
            })
          : db.stepProgress.upsert({
              where: { sessionId_stepId: { sessionId: id, stepId } },
              create: { sessionId: id, stepId, passed, message },
              update: {},
            }),
      ]);
    },

    /** Marks a session paused (its nodes stopped, its state kept) from `at`. */
    async markPaused(id: string, at: Date): Promise<void> {
      await db.session.update({ where: { id }, data: { status: 'paused', pausedAt: at, error: null } });
    },

    /** Paused sessions, oldest pause first (retention, and the disk floor, delete from the front). */
    async paused() {
      return db.session.findMany({ where: { status: 'paused' }, orderBy: { pausedAt: 'asc' }, select: { id: true, labId: true, pausedAt: true, provisioner: true } });
    },

    /** Sessions whose resources must stay on an engine: live ones and paused ones (the orphan sweep spares them). */
    async kept(): Promise<string[]> {
      return (await db.session.findMany({ where: { status: { in: ['starting', 'ready', 'paused'] } }, select: { id: true } })).map((r) => r.id);
    },

    /** Paused and live sessions a browser (its id cookie) started, with the steps it passed: the catalog's "continue". */
    async ofBrowser(browser: string) {
      return db.session.findMany({
        where: { clientBrowser: browser, status: { in: ['starting', 'ready', 'paused'] } },
        orderBy: { lastActiveAt: 'desc' },
        select: { id: true, labId: true, status: true, lastActiveAt: true, steps: { where: { passed: true }, select: { stepId: true } } },
      });
    },

    /** Replaces the resume-link secret's hash (null: no link is out). */
    async setResumeHash(id: string, resumeHash: string | null): Promise<void> {
      await db.session.update({ where: { id }, data: { resumeHash } });
    },

    /** A resume link redeemed: a new token for the browser that opened it, the link used up. */
    async claim(id: string, tokenHash: string, browser: string | null): Promise<void> {
      await db.session.update({ where: { id }, data: { tokenHash, resumeHash: null, ...(browser ? { clientBrowser: browser } : {}) } });
    },

    /** A resumed session: live again, with a new lifetime and idle clock. */
    async markResumed(id: string, at: Date, expiresAt: Date): Promise<void> {
      await db.session.update({ where: { id }, data: { status: 'starting', pausedAt: null, error: null, lastActiveAt: at, expiresAt } });
    },

    /** Sessions that should have resources on an engine (not ended). */
    async live() {
      return (await db.session.findMany({ where: { status: { in: ['starting', 'ready'] } } })).map(open);
    },

    async countLive(): Promise<number> {
      return db.session.count({ where: { status: { in: ['starting', 'ready'] } } });
    },

    /** Replaces the session's token (a pooled session handed to its attendee). */
    async setTokenHash(id: string, tokenHash: string): Promise<void> {
      await db.session.update({ where: { id }, data: { tokenHash } });
    },

    async setExpiry(id: string, expiresAt: Date): Promise<void> {
      await db.session.update({ where: { id }, data: { expiresAt } });
    },

    async exists(id: string): Promise<boolean> {
      return (await db.session.count({ where: { id } })) > 0;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
export type SessionRecord = NonNullable<Awaited<ReturnType<SessionStore['find']>>>;

export function toView(row: SessionRecord, idleMinutes: number, retentionDays?: number): SessionView {
  const vars = JSON.parse(row.vars) as Record<string, string>;
  const registry = vars['registry.hostname']
    ? { hostname: vars['registry.hostname'], username: vars['registry.username'] ?? '', password: vars['registry.password'] ?? '' }
    : null;
  return {
    id: row.id,
    lab: row.labId,
    status: row.status as SessionStatus,
    provisioner: row.provisioner as 'docker' | 'local',
    progress: JSON.parse(row.progress) as Stage[],
    nodes: row.nodes.map((n) => ({ name: n.name, hostname: n.hostname })).sort((a, b) => a.name.localeCompare(b.name)),
    registry,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    idleExpiresAt: new Date(row.lastActiveAt.getTime() + idleMinutes * 60_000).toISOString(),
    ...(row.error ? { error: row.error } : {}),
    ...(row.status === 'paused' && row.pausedAt ? {
      pausedAt: row.pausedAt.toISOString(),
      ...(retentionDays ? { deleteAfter: new Date(row.pausedAt.getTime() + retentionDays * 86_400_000).toISOString() } : {}),
    } : {}),
    vars,
    steps: row.steps.map((s) => ({ id: s.stepId, passed: s.passed, message: s.message, checkedAt: s.checkedAt.toISOString() })),
  };
}
