/**
 * Sessions: one learner's running copy of a lab — its nodes, token, variables
 * and progress. Created on demand, ended on request, on expiry or when idle,
 * and re-adopted after a server restart.
 *
 *   const sessions = createSessionService({ db, store, labs, provisioners, terminals, config });
 *   const { view, token } = await sessions.create('intro', { wait: true });
 *   await sessions.check(view.id, 'hello');     // { passed, message }
 *   await sessions.end(view.id);
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config';
import type { CompiledLab } from '../labs/lab-types';
import type { Provisioner, ProvisionerKind, ExecResult } from '../provisioner/provisioner';
import { ExecTimeoutError, NodeNotFoundError } from '../provisioner/provisioner';
import { configSchema } from '../config/config';
import { createCapacity, type Capacity } from '../admission/capacity';
import type { ClientLimits } from '../admission/client-limits';
import { sessionCost } from '../admission/session-cost';
import { createSessionAdmission, type Booking, type ClientIdentity } from './session-admission';
import { createKeyedLimit, createKeyedLock } from './session-lock';
import type { CheckOutcome, LabCatalog, SessionView } from '../services';
import { runScripts } from '../checker/run-scripts';
import { evaluateRegistryChecks, parseRegistryChecks, type RegistryRead } from '../checker/registry-checks';
import { substituteVars } from '../labs/lab-types';
import { newToken, tokenMatches, type PresentedToken } from '../http/auth';
import { toView, type SessionRecord, type SessionStore } from './session-store';
import { provisionSession, sessionStages } from './provision-session';
import { adoptSessions, freeDiskMb, reapSessions } from './reap-sessions';
import { recoverNode } from './recover-node';
import { pauseSession, resumeSession, type PauseDeps } from './pause-session';
import { HttpError } from '../http/http-error';
import { REGISTRY_HOST } from '../registry-host/start-registry';
import { sessionVariables } from '../labs/lab-variables';

export interface SessionServiceDeps {
  store: SessionStore;
  labs: LabCatalog;
  provisioners: Partial<Record<ProvisionerKind, Provisioner>>;
  /** Called when a session's shells must go (end, reset). */
  closeTerminals(sessionId: string): void;
  /** limits, admission and docker fall back to their defaults (tests that give only what they use). */
  config: Pick<Config, 'checks'> & Partial<Pick<Config, 'limits' | 'admission' | 'docker'>> & {
    /** Pause and retention settings fall back to their defaults. */
    sessions: Pick<Config['sessions'], 'ttlMinutes' | 'idleMinutes' | 'reapSeconds' | 'maxLive'> & Partial<Config['sessions']>;
  };
  /** What the host can take; absent: only sessions.maxLive bounds it. */
  capacity?: Capacity;
  /** Per-client live and per-minute limits on creations; absent: none. */
  clientLimits?: ClientLimits;
  /** How typed registry checks read a session's registry (as the platform's account); absent: they fail with a reason. */
  registryReader?: (session: SessionRecord) => RegistryRead;
  log?: (message: string) => void;
  now?: () => Date;
  /** Told of every check result after it is recorded (workshops keep step events); its failures are logged, never the check's. */
  onCheck?: (sessionId: string, stepId: string, outcome: CheckOutcome) => void | Promise<void>;
  /** Free disk (MiB) where paused sessions are kept; default: statfs of sessions.diskPath (or the working directory). */
  freeDiskMb?: () => number;
}

export function createSessionService(deps: SessionServiceDeps) {
  const { store, labs, provisioners } = deps;
  const defaults = configSchema.parse({});
  const config = { limits: defaults.limits, admission: defaults.admission, docker: defaults.docker, ...deps.config, sessions: { ...defaults.sessions, ...deps.config.sessions } };
  const log = deps.log ?? ((m: string) => console.log(`[sessions] ${m}`));
  const now = deps.now ?? (() => new Date());
  const starting = new Map<string, Promise<void>>();
  const lastTouch = new Map<string, number>();
  // reset, end and solve of one session run one at a time; checks and solves are bounded per session.
  const lock = createKeyedLock();
  const checking = createKeyedLimit(config.limits.concurrentChecksPerSession);
  const capacity = deps.capacity ?? createCapacity({
    totalMemoryMb: Number.MAX_SAFE_INTEGER, maxContainers: Number.MAX_SAFE_INTEGER, maxSessions: config.sessions.maxLive,
    nextFreeInSeconds: () => admission.nextFreeInSeconds(),
  });
  const admission = createSessionAdmission({ capacity, clientLimits: deps.clientLimits, idleMinutes: config.sessions.idleMinutes, now });

  /** Runs a check or solve within the session's concurrency bound. */
  async function bounded<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const leave = checking.tryEnter(id);
    if (!leave) throw new HttpError(429, `at most ${config.limits.concurrentChecksPerSession} checks or solves run at once in a session: wait for the running one`, { headers: { 'retry-after': '2' } });
    try {
      return await fn();
    } finally {
      leave();
    }
  }

  function pickProvisioner(lab: CompiledLab): Provisioner {
    if (lab.meta.engine === 'none' && !lab.meta.registry && provisioners.local) return provisioners.local;
    if (provisioners.docker) return provisioners.docker;
    throw new HttpError(503, `lab ${lab.meta.id} needs a Docker engine and none is reachable: start dockerd (or run npm start as root on Debian to install it)`);
  }

  function provisionerOf(row: { provisioner: string }): Provisioner {
    const p = provisioners[row.provisioner as ProvisionerKind];
    if (!p) throw new HttpError(503, `this server has no ${row.provisioner} provisioner any more`);
    return p;
  }

  /** A step's typed registry checks, within the check timeout; never a pass when the registry cannot be read. */
  async function registryChecks(row: SessionRecord, blocks: { source: string }[], vars: Record<string, string>) {
    const started = Date.now();
    const done = (passed: boolean, message: string) => ({ passed, message, durationMs: Date.now() - started });
    if (!deps.registryReader) return done(false, 'This server cannot read session registries, so this step cannot be checked.');
    const read = deps.registryReader(row);
    const timeoutMs = config.checks.timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const checks = blocks.flatMap((b) => parseRegistryChecks(substituteVars(b.source, vars)));
      const timeout = new Promise<{ passed: boolean; message: string }>((resolve) => {
        timer = setTimeout(() => resolve({ passed: false, message: `The registry check did not finish within ${Math.round(timeoutMs / 1000)} s.` }), timeoutMs);
      });
      const result = await Promise.race([evaluateRegistryChecks(checks, read), timeout]);
      return done(result.passed, result.message);
    } catch (err) {
      return done(false, `The registry check could not run: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function loadLab(id: string): Promise<CompiledLab> {
    const lab = await labs.get(id);
    if (!lab) throw new HttpError(404, `unknown lab: ${id}`);
    return lab;
  }

  const pauseDeps: PauseDeps = {
    store, provisionerOf, log, now,
    closeTerminals: (id) => deps.closeTerminals(id),
    release: (id) => admission.release(id),
  };

  const provisionDeps = (provisioner: Provisioner) => ({ store, provisioner, log, setupTimeoutMs: config.checks.timeoutSeconds * 1000 * 3 });

  async function requireReady(id: string): Promise<SessionRecord> {
    await starting.get(id);
    const row = await store.find(id);
    if (!row) throw new HttpError(404, 'no such session');
    if (row.status !== 'ready') throw new HttpError(409, `session is ${row.status}${row.error ? `: ${row.error}` : ''}`);
    return row;
  }

  function stepOf(lab: CompiledLab, stepId: string) {
    const step = lab.steps.find((s) => s.id === stepId);
    if (!step) throw new HttpError(404, `lab ${lab.meta.id} has no step ${stepId}`);
    return step;
  }

  /** A session that failed to start gives its room back at once. */
  async function releaseIfFailed(id: string): Promise<void> {
    const row = await store.find(id);
    if (!row || row.status === 'failed') admission.release(id);
  }

  const reapDeps = () => ({
    store, provisioners, config, log, now, isStarting: (id: string) => starting.has(id),
    end: (id: string, reason: string) => service.end(id, reason),
    pause: async (id: string, why: string) => void (await service.pause(id, why)),
    freeDiskMb: deps.freeDiskMb ?? (() => freeDiskMb(config.sessions.diskPath || '.')),
  });

  const service = {
    /** Which back end a session of this lab runs on ("docker" or "local"): what its cost is counted in. */
    provisionerKindFor: (lab: CompiledLab) => pickProvisioner(lab).kind,
    /**
     * Starts a session for a lab; with wait, resolves once it is ready (or failed). `booking`: room the
     * caller already reserved from the same capacity (the workshops' warm pool): held and released here.
     */
    async create(labId: string, options: { wait: boolean; client?: ClientIdentity; booking?: Booking }): Promise<{ view: SessionView; token: string }> {
      const lab = await loadLab(labId);
      const provisioner = pickProvisioner(lab);
      // Booked before anything is created: a full server refuses here, never halfway through.
      const booking = options.booking ?? await admission.admit(sessionCost(lab.meta, provisioner.kind, config), options.client);
      // 12 hex chars: unique enough per host, short enough for Docker names and hostnames.
      const id = randomBytes(6).toString('hex');
      const { token, hash } = newToken();
      const vars = sessionVariables(lab.meta, {
        id,
        // The session's registry admin: generated per session, shown in the session panel.
        registry: { hostname: REGISTRY_HOST, username: 'admin', password: randomBytes(18).toString('base64url') },
      });
      const progress = sessionStages(lab);
      // The server's own registry account, for checks: a learner who changes the admin's password does not break them.
      const platformSecret = lab.meta.registry ? randomBytes(24).toString('base64url') : null;
      const expiresAt = new Date(now().getTime() + config.sessions.ttlMinutes * 60_000);
      try {
        await store.insert({
          id, labId, tokenHash: hash, provisioner: provisioner.kind, progress, vars, platformSecret, expiresAt,
          clientAddress: options.client?.address ?? null, clientBrowser: options.client?.browser ?? null,
        });
      } catch (err) {
        booking.release();
        throw err;
      }
      admission.hold(id, booking, expiresAt);
      const job = provisionSession(provisionDeps(provisioner), id, lab, vars, progress, platformSecret)
        .then(() => releaseIfFailed(id))
        .finally(() => starting.delete(id));
      starting.set(id, job);
      if (options.wait) await job;
      const row = await store.find(id);
      return { view: toView(row!, config.sessions.idleMinutes, config.sessions.retentionDays), token };
    },

    /** The session if the presented token is its own; null otherwise (callers answer 404 either way). */
    async authorize(id: string, presented: PresentedToken | null): Promise<SessionRecord | null> {
      if (!/^[a-f0-9]{12}$/.test(id) || !presented) return null;
      const row = await store.find(id);
      if (!row || !tokenMatches(presented.token, row.tokenHash)) return null;
      return row;
    },

    /** A new token for the session; the old one stops working (a warm pool's session handed to the attendee who claimed it). */
    async issueToken(id: string): Promise<string> {
      const { token, hash } = newToken();
      await store.setTokenHash(id, hash);
      return token;
    },

    /** Moves the session's end (a workshop's session length, an instructor's extension). */
    async setExpiry(id: string, expiresAt: Date): Promise<void> {
      await store.setExpiry(id, expiresAt);
    },

    async view(id: string): Promise<SessionView | null> {
      const row = await store.find(id);
      if (!row) return null;
      const view = toView(row, config.sessions.idleMinutes, config.sessions.retentionDays);
      // The disk budget is read live from the session's filesystem (a statfs): the panel polls this view.
      const disk = row.status === 'ended' ? null : await provisioners[row.provisioner as ProvisionerKind]?.diskUsage?.(id).catch(() => null);
      return disk ? { ...view, disk } : view;
    },

    /** Records activity; throttled because every keystroke calls it. */
    touch(id: string): void {
      const t = now().getTime();
      admission.touch(id, t);
      if ((lastTouch.get(id) ?? 0) > t - 15_000) return;
      lastTouch.set(id, t);
      store.touch(id, new Date(t)).catch((e) => log(`touch ${id}: ${(e as Error).message}`));
    },

    end: (id: string, reason = 'ended') => lock.run(id, async (): Promise<void> => {
      await starting.get(id);
      const row = await store.find(id);
      if (!row || row.status === 'ended') return;
      deps.closeTerminals(id);
      await provisionerOf(row).destroySession(id);
      await store.setStatus(id, 'ended', reason === 'ended' ? undefined : reason);
      lastTouch.delete(id);
      admission.release(id);
      log(`session ${id} (${row.labId}) ${reason}`);
    }),

    /** Destroys and recreates the nodes; progress starts over. */
    reset: (id: string) => lock.run(id, async (): Promise<SessionView> => {
      await starting.get(id);
      const row = await store.find(id);
      if (!row) throw new HttpError(404, 'no such session');
      if (row.status === 'ended') throw new HttpError(409, 'session has ended; start a new one');
      if (row.status === 'paused') throw new HttpError(409, 'session is paused: resume it first');
      // A failed session's room was given back: book it again before rebuilding it.
      if (row.status === 'failed') {
        const lab = await loadLab(row.labId);
        admission.hold(id, await admission.admit(sessionCost(lab.meta, provisionerOf(row).kind, config), undefined), row.expiresAt);
      }
      const lab = await loadLab(row.labId);
      const provisioner = provisionerOf(row);
      deps.closeTerminals(id);
      await provisioner.destroySession(id);
      await store.clearProgress(id);
      const progress = sessionStages(lab);
      await store.setProgress(id, progress);
      await store.setStatus(id, 'starting');
      const job = provisionSession(provisionDeps(provisioner), id, lab, JSON.parse(row.vars), progress, row.platformSecret)
        .then(() => releaseIfFailed(id))
        .finally(() => starting.delete(id));
      starting.set(id, job);
      return toView((await store.find(id))!, config.sessions.idleMinutes);
    }),

    /** Stops the session's nodes, keeping everything; its room goes back to admission. */
    pause: (id: string, why = 'paused') => lock.run(id, async (): Promise<SessionView> => {
      await starting.get(id);
      await pauseSession(pauseDeps, id, why);
      lastTouch.delete(id);
      return (await service.view(id))!;
    }),

    /** Books room (429 when full) and starts the paused session's nodes again; with wait, until ready (or paused again). */
    resume: (id: string, options: { wait: boolean; client?: ClientIdentity }) => lock.run(id, async (): Promise<SessionView> => {
      await starting.get(id);
      const { job } = await resumeSession({
        ...pauseDeps, loadLab, ttlMinutes: config.sessions.ttlMinutes,
        costOf: (lab, p) => sessionCost(lab.meta, p.kind, config),
        admit: (cost, client) => admission.admit(cost, client),
        hold: (sid, booking, expiresAt) => admission.hold(sid, booking, expiresAt),
      }, id, options.client);
      const tracked = job.finally(() => starting.delete(id));
      starting.set(id, tracked);
      if (options.wait) await tracked;
      return (await service.view(id))!;
    }),

    /**
     * A new resume-link secret for the session (shown once; only its hash is kept, and the
     * previous link stops working). Whoever opens the link gets the session (claim).
     */
    async issueResumeSecret(id: string): Promise<string> {
      const { token, hash } = newToken();
      await store.setResumeHash(id, hash);
      return token;
    },

    /**
     * Redeems a resume link: the secret must match (constant time, against its hash). The
     * session gets a new token for the browser that opened the link — the old one stops working —
     * and the link is used up. Null for a wrong secret or unknown session (callers answer 404);
     * a session deleted meanwhile throws 410 with the reason.
     */
    async claim(id: string, secret: string, browser: string | null): Promise<{ token: string; row: SessionRecord } | null> {
      if (!/^[a-f0-9]{12}$/.test(id)) return null;
      const row = await store.find(id);
      if (!row || !row.resumeHash || !tokenMatches(secret, row.resumeHash)) return null;
      if (row.status === 'ended' || row.status === 'failed') throw new HttpError(410, row.error ?? `this session has ${row.status}`);
      const { token, hash } = newToken();
      await store.claim(id, hash, browser);
      return { token, row };
    },

    /** The sessions a browser can continue (the catalog's "continue"), by its id cookie. */
    async ofBrowser(browser: string) {
      return store.ofBrowser(browser);
    },

    async exec(id: string, node: string, command: string): Promise<ExecResult> {
      const row = await requireReady(id);
      if (!row.nodes.some((n) => n.name === node)) throw new HttpError(404, `session has no node ${node}`);
      service.touch(id);
      try {
        return await provisionerOf(row).exec(id, node, command, { timeoutMs: config.checks.timeoutSeconds * 1000 * 3 });
      } catch (err) {
        if (err instanceof NodeNotFoundError) throw new HttpError(410, `node ${node} is not running: reset the session`);
        // 504, not 500: the command ran too long. What it printed so far comes back with the answer.
        if (err instanceof ExecTimeoutError) throw new HttpError(504, `the command did not finish within ${Math.round(err.timeoutMs / 1000)} s and was stopped`, { body: { exitCode: null, output: err.output } });
        throw err;
      }
    },

    /** Runs a step's checks; records the result. */
    check: (id: string, stepId: string) => bounded(id, async (): Promise<CheckOutcome> => {
      const row = await requireReady(id);
      const lab = await loadLab(row.labId);
      const step = stepOf(lab, stepId);
      if (!step.checks.length && !step.registryChecks.length) return { passed: true, message: 'This step has nothing to check.' };
      service.touch(id);
      const vars = JSON.parse(row.vars) as Record<string, string>;
      let outcome: { passed: boolean; message: string; durationMs: number } = await runScripts(provisionerOf(row), id, step.checks, { vars, timeoutMs: config.checks.timeoutSeconds * 1000 });
      if (outcome.passed && step.registryChecks.length) outcome = await registryChecks(row, step.registryChecks, vars);
      await store.recordCheck(id, stepId, outcome.passed, outcome.message, outcome.durationMs);
      const result = { passed: outcome.passed, message: outcome.message };
      if (deps.onCheck) await Promise.resolve(deps.onCheck(id, stepId, result)).catch((e: Error) => log(`check hook for ${id}: ${e.message}`));
      return result;
    }),

    /** Runs a step's solve scripts (regression tests, instructors skipping a step). */
    solve: (id: string, stepId: string) => bounded(id, () => lock.run(id, async (): Promise<CheckOutcome> => {
      const row = await requireReady(id);
      const lab = await loadLab(row.labId);
      const step = stepOf(lab, stepId);
      const outcome = await runScripts(provisionerOf(row), id, step.solves, { vars: JSON.parse(row.vars), timeoutMs: config.checks.timeoutSeconds * 1000 * 3 });
      return { passed: outcome.passed, message: outcome.message };
    })),

    /** Ends expired and idle sessions, and removes engine resources no live session owns. */
    reap: () => reapSessions(reapDeps()),

    /** After a restart: keep sessions whose nodes still run (recreating lost lab nodes), fail the rest, sweep orphans; book what is kept. */
    adopt: () => adoptSessions({
      ...reapDeps(),
      recoverNode: async (row, name) => recoverNode({ store, labs, provisioner: provisionerOf((await store.find(row.id))!) }, row.id, name),
      restore: async (id) => {
        const row = (await store.find(id))!;
        const lab = await labs.get(row.labId);
        const meta = lab?.meta ?? { nodes: row.nodes, registry: !!JSON.parse(row.vars)['registry.hostname'] };
        const booking = admission.restore(sessionCost(meta, provisionerOf(row).kind, config), { address: row.clientAddress, browser: row.clientBrowser });
        admission.hold(id, booking, row.expiresAt, row.lastActiveAt);
      },
    }),

    /** Seconds until the nearest live session is due to end (Retry-After for a full server). */
    nextFreeInSeconds: () => admission.nextFreeInSeconds(),

    /** Resolves when no session is mid-start (tests, shutdown). */
    async settle(): Promise<void> {
      await Promise.allSettled([...starting.values()]);
    },
  };
  return service;
}

export type SessionService = ReturnType<typeof createSessionService>;
