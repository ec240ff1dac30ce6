/**
 * One typed configuration: defaults, then a JSON file, then LABDOCK_* environment
 * variables (the way distribution's REGISTRY_* variables override its YAML),
 * validated once at start with a readable error.
 *
 *   const config = loadConfig(process.env);            // throws ConfigError
 *   config.sessions.ttlMinutes                         // 120
 *
 * Environment names follow the field path: sessions.idleMinutes →
 * LABDOCK_SESSIONS_IDLE_MINUTES. LABDOCK_CONFIG names the JSON file.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  server: z.object({
    host: z.string().default('0.0.0.0'),
    /** 0 picks a free port (benchmarks, tests). */
    port: int(0, 65535).default(3000),
    /**
     * The origins browsers reach labdock at (https://labs.example.org). Browser
     * requests that create sessions, write to one or open its terminals must
     * come from one of them. Empty: the loopback origins of server.port only.
     */
    publicOrigins: z.array(z.string().url()).default([]),
    /** Older name for publicOrigins; both lists count. */
    allowedOrigins: z.array(z.string().url()).default([]),
    /**
     * Take the client's address from the last X-Forwarded-For hop: set only
     * when labdock sits behind a reverse proxy that sets it.
     */
    trustProxy: z.coerce.boolean().default(false),
    /**
     * When set, clients that send no Origin (curl, lab automation) must send
     * `Authorization: Bearer <apiToken>` to create sessions. Browsers never need it.
     */
    apiToken: z.string().default(''),
    /** Mark cookies Secure: set when served over HTTPS. */
    secureCookies: z.coerce.boolean().default(false),
  }).prefault({}),
  dataDir: z.string().default('var'),
  /**
   * file:/path/to/labdock.db (SQLite) or postgresql://user:password@host:5432/dbname.
   * Empty: DATABASE_URL when that is set (the name most tools use), else SQLite in dataDir.
   */
  databaseUrl: z.string().default(''),
  labsDir: z.string().default('labs'),
  sessions: z.object({
    /** A session ends this long after it started, however active: workshops are 2 h slots. */
    ttlMinutes: int(1, 7 * 24 * 60).default(120),
    /** …or after this long without a terminal keystroke or API call. */
    idleMinutes: int(1, 24 * 60).default(30),
    /** How often the reaper looks for expired sessions. */
    reapSeconds: int(1, 3600).default(30),
    /** Upper bound on live sessions whatever their cost (admission.* decides by memory and containers first). */
    maxLive: int(1, 10000).default(50),
    /**
     * A paused session (by its learner, or at idle or lifetime expiry) keeps its stopped nodes
     * and volumes this long, then is deleted. 7 days: a week of evenings for a self-paced learner.
     */
    retentionDays: z.coerce.number().min(0.001).max(365).default(7),
    /**
     * Below this much free disk (MiB) where the engine keeps containers, the reaper deletes
     * paused sessions oldest first until it is back above. 0: never for disk.
     * 5 GiB: room for a few sessions to start (a node's images ~1 GiB) before the engine fills.
     */
    minFreeDiskMb: int(0, 16 * 1024 * 1024).default(5120),
    /** Where that free disk is measured (the engine's data root, ideally); empty: the filesystem holding dataDir. */
    diskPath: z.string().default(''),
    /** Idle and lifetime expiry pause a session (true) or end it (false, as before issue #14). */
    pauseOnExpiry: z.coerce.boolean().default(true),
    /**
     * A local (bubblewrap) session's disk budget in MiB: its nodes' home and /tmp together, on a
     * sparse image like a Docker session's (docker.sessionDiskMb). 512: a sandbox runs a shell and a
     * lab's tools, no Docker engine, and a workshop's dozens of them must fit beside each other. 0: none.
     */
    localDiskMb: int(0, 1024 * 1024).default(512),
  }).prefault({}),
  /** Admission by capacity: what the host can give, what each session's nodes may take. */
  admission: z.object({
    /** Memory sessions may use in all, in MiB; 0: the host's memory minus reserveMb. */
    memoryMb: int(0, 16 * 1024 * 1024).default(0),
    /** Kept for labdock itself, the engine and the hub mirror when memoryMb is derived. */
    reserveMb: int(0, 1024 * 1024).default(2048),
    /**
     * How many times the host's memory the nodes' limits may add up to. 1: every
     * node could use its whole limit at once and the host still holds.
     */
    memoryOvercommit: z.coerce.number().min(0.1).max(20).default(1),
    /** Node containers in all (each runs its own dockerd). */
    maxContainers: int(1, 10000).default(64),
    /** What a local (bubblewrap) node is counted as: it has no memory limit of its own. */
    localNodeMemoryMb: int(1, 65536).default(128),
  }).prefault({}),
  /** Per-client and per-session bounds: what one careless or hostile client can take. */
  limits: z.object({
    /** Live sessions per client address, and per browser. */
    liveSessionsPerClient: int(1, 1000).default(3),
    /** Session creations per client address (and per browser) per minute. */
    creationsPerMinute: int(1, 10000).default(10),
    /** JSON request bodies, counted while they stream in. */
    maxBodyBytes: int(1024, 64 * 1024 * 1024).default(64 * 1024),
    /** Terminal WebSockets open at once on one session (all its nodes and tabs). */
    terminalsPerSession: int(1, 1000).default(12),
    /** Checks and solves running at once on one session; more answer 429. */
    concurrentChecksPerSession: int(1, 100).default(2),
    /** Largest WebSocket message (keystrokes and pastes) accepted from a browser. */
    terminalMessageBytes: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
  }).prefault({}),
  docker: z.object({
    /** Empty: labdock's own engine (/run/labdock/docker.sock) when it runs, else dockerode's default (DOCKER_HOST or /var/run/docker.sock). */
    socketPath: z.string().default(''),
    /**
     * Run nodes on an engine that does not isolate them from the host (no user
     * namespaces, no sysbox): root in a node is then close to root on the host.
     * Development only, never with strangers.
     */
    allowUnisolated: z.coerce.boolean().default(false),
    nodeMemoryMb: int(64, 65536).default(1024),
    nodeCpus: z.coerce.number().min(0.1).max(64).default(1),
    nodePids: int(64, 1_000_000).default(2048),
    /**
     * Each session's disk budget in MiB: everything its nodes write (writable layers, inner
     * images and containers, the registry's data) shares it, and writes past it fail with
     * ENOSPC. A sparse image: a session takes on the host only what it wrote. 0: unbounded.
     */
    sessionDiskMb: int(0, 1024 * 1024).default(4096),
    /** Where the session disk images live: on the same host as labdock's engine, which is mounted after them. */
    diskDir: z.string().default('/var/lib/labdock/disks'),
    /** Node networks have no route outside by default. */
    internalNetworks: z.coerce.boolean().default(true),
  }).prefault({}),
  hub: z.object({
    /**
     * Where the host can reach Docker Hub (or another registry), the hub mirror
     * proxies and caches it and labs get the real images, e.g.
     * https://registry-1.docker.io. Empty: labdock's own lab images, offline.
     */
    upstream: z.string().url().or(z.literal('')).default(''),
  }).prefault({}),
  auth: z.object({
    /** Signs instructors' cookies; empty: a random one is made once and kept in dataDir/auth-secret. */
    secret: z.string().default(''),
    /** The public URL instructors use (https://labs.example.org); empty: taken from each request. */
    baseUrl: z.string().url().or(z.literal('')).default(''),
    /** OpenID Connect sign-in, off unless an issuer is set (its discovery document must be reachable). */
    oidc: z.object({
      issuer: z.string().url().or(z.literal('')).default(''),
      clientId: z.string().default(''),
      clientSecret: z.string().default(''),
    }).prefault({}),
  }).prefault({}),
  workshops: z.object({
    /** Warm sessions one workshop holds at most: the rest of its seats start cold. */
    poolMax: int(0, 500).default(10),
    /** How often the warm pool is brought to its targets. */
    poolTickSeconds: int(1, 3600).default(5),
    /** Join codes that match no workshop, per client address per missWindowMinutes: then that address is refused for the window (guessing codes). */
    joinMissesPerAddress: int(1, 10000).default(10),
    missWindowMinutes: int(1, 24 * 60).default(10),
    /** Join page views and joins per client address per minute: a classroom behind one NAT address must fit. */
    joinsPerAddressPerMinute: int(1, 100000).default(120),
    /** Join page views and joins of one code per minute, from everyone: a leaked code cannot be flooded. */
    joinsPerCodePerMinute: int(1, 100000).default(300),
  }).prefault({}),
  /** Standing pools: sessions kept started for learners who open a lab on their own (a lab's `pool:`). */
  standingPool: z.object({
    /** Per-lab sizes that override the labs' own `pool:` ("intro=2,registry-basics=0"). */
    sizes: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}=\d{1,2}$/, 'lab=size, like intro=2')).default([]),
    /** Standing sessions over all labs at most, whatever the labs ask. */
    max: int(0, 100).default(6),
  }).prefault({}),
  checks: z.object({
    /** A check script that runs longer is a failure, so the UI never hangs. */
    timeoutSeconds: int(1, 600).default(20),
  }).prefault({}),
});

export type Config = z.infer<typeof configSchema>;

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Builds the config from defaults, LABDOCK_CONFIG's JSON file, then LABDOCK_* variables. */
export function loadConfig(env: Env, cwd = process.cwd()): Config {
  let fromFile: unknown = {};
  const file = env.LABDOCK_CONFIG;
  if (file) {
    const full = path.resolve(cwd, file);
    if (!existsSync(full)) throw new ConfigError(`LABDOCK_CONFIG points at ${full}, which does not exist`);
    try {
      fromFile = JSON.parse(readFileSync(full, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${full} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const merged = applyEnv(structuredClone(fromFile) as Record<string, unknown>, env);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'} (${envNameFor(i.path)}): ${i.message}`);
    throw new ConfigError(`invalid labdock configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  config.dataDir = path.resolve(cwd, config.dataDir);
  config.labsDir = path.resolve(cwd, config.labsDir);
  if (!config.databaseUrl) config.databaseUrl = env.DATABASE_URL || `file:${path.join(config.dataDir, 'labdock.db')}`;
  if (!/^(file:|postgres(ql)?:\/\/)/.test(config.databaseUrl)) {
    throw new ConfigError(`invalid labdock configuration:\n  databaseUrl (LABDOCK_DATABASE_URL or DATABASE_URL): use file:/path/to/labdock.db (SQLite) or postgresql://user:password@host:5432/dbname`);
  }
  return config;
}

function envNameFor(p: PropertyKey[]): string {
  return 'LABDOCK_' + p.filter((s) => typeof s === 'string').map((s) => snake(s as string)).join('_');
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Walks the schema's shape and copies matching LABDOCK_* variables in. */
function applyEnv(target: Record<string, unknown>, env: Env): Record<string, unknown> {
  const walk = (shape: z.ZodRawShape, obj: Record<string, unknown>, prefix: string) => {
    for (const [key, schema] of Object.entries(shape)) {
      const name = `${prefix}_${snake(key)}`;
      const inner = unwrap(schema as z.ZodType);
      if (inner instanceof z.ZodObject) {
        const child = (obj[key] ??= {}) as Record<string, unknown>;
        walk(inner.shape, child, name);
        continue;
      }
      const value = env[name];
      if (value === undefined || value === '') continue;
      obj[key] = inner instanceof z.ZodArray ? value.split(',').map((s) => s.trim()).filter(Boolean)
        : inner instanceof z.ZodBoolean ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase())
        : value;
    }
  };
  walk(configSchema.shape, target, 'LABDOCK');
  return target;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
    current = (current as z.ZodDefault<z.ZodType>).unwrap() as z.ZodType;
  }
  return current;
}
