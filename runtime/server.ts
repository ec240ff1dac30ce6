/**
 * labdock's composition root: the one place that builds every service and
 * wires them together, then serves Next.js and the terminal WebSocket on one
 * port.
 *
 *   tsx runtime/server.ts          # production (after `next build`)
 *   tsx runtime/server.ts --dev    # Next.js in development mode
 *
 * Everything else receives its dependencies as parameters (style.md §8).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import next from 'next';
import { loadConfig, ConfigError, type Config } from './config/config';
import { DatabaseError, openDatabase } from './db/open-database';
import { detectEngines } from './engine/detect-engines';
import { createLabCatalog } from './labs/lab-catalog';
import { createLocalProvisioner } from './provisioner/local/local-provisioner';
import { createDockerProvisioner } from './provisioner/docker/docker-provisioner';
import { ensureImages, formatImageProgress } from './images/ensure-images';
import type { EngineIsolation } from './engine/engine-isolation';
import { sessionDisks, type SessionDisks } from './provisioner/disk/session-disk';
import { pruneImages } from './images/prune-images';

/** Outdated labdock images are removed once they are this old. */
const PRUNE_AFTER_MS = 24 * 3600_000;
import { createHash } from 'node:crypto';
import type { Provisioner, ProvisionerKind } from './provisioner/provisioner';
import type Docker from 'dockerode';
import { ensureHub } from './hub/ensure-hub';
import { KNOWN_IMAGES } from './labs/parse-front-matter';
import { REGISTRY_IMAGE } from './registry-host/start-registry';
import { preloadHub } from './hub/preload-hub';
import { baseTag } from './images/image-set';
import { hostDebianMirror } from './images/build-base';
import { TerminalHub } from './terminal/terminal-hub';
import { createTerminalBridge } from './terminal/terminal-bridge';
import { CLOSE } from './terminal/protocol';
import { createSessionStore } from './sessions/session-store';
import { freeDiskMb } from './sessions/reap-sessions';
import { createSessionService } from './sessions/session-service';
import { createRegistryConsole } from './registry-host/console-proxy/registry-console';
import { platformRegistryReader } from './registry-host/console-proxy/platform-reader';
import { setServices } from './services';
import { openSecretBox } from './secrets/secret-box';
import { capacityFromConfig } from './admission/capacity';
import { createClientLimits } from './admission/client-limits';
import { sessionCost } from './admission/session-cost';
import { publicOriginsFor, safeDecode } from './http/auth';
import { CLIENT_HEADER, clientAddress } from './http/client-address';
import { createAuth } from './auth/create-auth';
import { authSecret } from './auth/auth-secret';
import { ensureAdmin } from './auth/ensure-admin';
import { createWorkshopService, type WorkshopService } from './workshops/workshop-service';
import { createWatchBridge } from './workshops/watch/watch-bridge';
import { createStandingPool } from './standing-pool/standing-pool';
import { standingSizes } from './standing-pool/standing-sizes';
import { instructorOf } from './auth/instructor-of';
import type { AppServices } from './app-services';

export interface StartedServer {
  url: string;
  services: AppServices;
  close(): Promise<void>;
}

export async function startServer(config: Config, options: { dev?: boolean; log?: (m: string) => void } = {}): Promise<StartedServer> {
  const log = options.log ?? ((m: string) => console.log(m));
  mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase(config.databaseUrl);

  const engines = await detectEngines(config, log);
  const provisioners: Partial<Record<ProvisionerKind, Provisioner>> = {};
  if (engines.local) {
    const rootDir = path.join(config.dataDir, 'local-nodes');
    // A disk budget as Docker sessions have: a sandbox's home and /tmp live on its session's disk image.
    const disks = config.sessions.localDiskMb > 0 ? sessionDisks({ dir: rootDir, budgetBytes: config.sessions.localDiskMb * 1024 * 1024, owner: null }) : undefined;
    if (disks && process.getuid?.() !== 0) throw new Error('session disk budgets need root (loop mounts); run as root or set LABDOCK_SESSIONS_LOCAL_DISK_MB=0 to run local sessions without one');
    provisioners.local = createLocalProvisioner({ rootDir, ...(disks ? { disks } : {}) });
  }
  if (engines.docker) {
    try {
      provisioners.docker = await dockerProvisioner(engines.docker, engines.isolation!, config, log);
    } catch (err) {
      log(`[images] could not prepare Docker nodes, Docker labs are unavailable: ${(err as Error).message}`);
    }
  }
  const engine = {
    docker: !!provisioners.docker,
    local: !!provisioners.local,
    ...(engines.isolation ? { isolation: engines.isolation.mode, isolationSummary: engines.isolationSummary } : {}),
    ...(provisioners.docker ? {} : { message: engines.dockerProblem ?? 'No Docker engine: labs that need Docker are unavailable.' }),
  };

  const labs = createLabCatalog({ labsDir: config.labsDir, engine, log: (m) => log(`[labs] ${m}`) });
  // Compile every lab now, so the first learner does not wait for it (and broken labs are logged at start).
  await labs.list();
  // Credentials at rest are sealed with the data directory's key (made on first start, mode 0600).
  const store = createSessionStore(db, openSecretBox(config.dataDir));
  const sealed = await store.sealPlaintext();
  if (sealed) log(`[sessions] sealed the secrets of ${sealed} session(s) an earlier version stored in clear`);
  const capacity = capacityFromConfig(config, () => sessions.nextFreeInSeconds());
  // Filled once the port is known (port 0 picks one); nothing is served before that.
  const publicOrigins: string[] = [];
  const clientLimits = createClientLimits(config.limits);
  let hub: TerminalHub;
  let workshops: WorkshopService;
  // The console's requests share the checks' time budget: both must never hang the UI.
  const registryConsole = createRegistryConsole({ provisioners, timeoutMs: config.checks.timeoutSeconds * 1000 });
  const sessions = createSessionService({
    store, labs, provisioners, config, capacity, clientLimits,
    registryReader: (row) => platformRegistryReader(registryConsole, row),
    log: (m) => log(`[sessions] ${m}`),
    closeTerminals: (id) => hub.closeSession(id, CLOSE.sessionEnded, 'session ended or reset'),
    onCheck: (id, step, outcome) => workshops.recordCheck(id, step, outcome).then(() => undefined),
    // Paused sessions are deleted oldest first while this filesystem runs low (sessions.minFreeDiskMb).
    freeDiskMb: () => freeDiskMb(config.sessions.diskPath || config.dataDir),
  });
  const auth = createAuth({ db, secret: authSecret(config), config, publicOrigins });
  const admin = await ensureAdmin(auth, db, process.env);
  if (admin) log(`[auth] ${admin}`);
  const costOf = async (labId: string) => {
    const lab = await labs.get(labId);
    if (!lab) throw new Error(`unknown lab: ${labId}`);
    return sessionCost(lab.meta, sessions.provisionerKindFor(lab), config);
  };
  // Standing pools book capacity like every session, keep the last room free, and give way to learners.
  const standingPool = createStandingPool({
    db, sessions, capacity, clientLimits, costOf,
    sizes: () => standingSizes(labs, config.standingPool.sizes),
    config: { max: config.standingPool.max, ttlMinutes: config.sessions.ttlMinutes },
    log: (m) => log(`[standing-pool] ${m}`),
  });
  // The warm pool and cold joins book the same host capacity as every other session (runtime/admission).
  workshops = createWorkshopService({
    db, labs, sessions, capacity, config: config.workshops, costOf,
    makeRoom: standingPool.makeRoom,
    log: (m) => log(`[workshops] ${m}`),
  });
  hub = new TerminalHub({
    open: async (sessionId, node, size) => {
      const row = await store.find(sessionId);
      const p = row && provisioners[row.provisioner as ProvisionerKind];
      if (!p) throw new Error(`session ${sessionId} has no provisioner on this server`);
      return p.openTerminal(sessionId, node, size);
    },
    onActivity: (id) => sessions.touch(id),
  });

  const adoption = await sessions.adopt();
  if (adoption.adopted.length || adoption.failed.length) {
    log(`[sessions] re-adopted ${adoption.adopted.length} live session(s); ${adoption.failed.length} could not be recovered`);
  }
  const reaper = setInterval(() => {
    sessions.reap().catch((e) => log(`[sessions] reaper: ${(e as Error).message}`));
  }, config.sessions.reapSeconds * 1000);
  reaper.unref();
  const poolTicker = setInterval(() => {
    workshops.pool.tick().catch((e) => log(`[workshops] pool: ${(e as Error).message}`))
      // Workshops' warm pools first: a standing pool only takes what is left.
      .then(() => standingPool.tick())
      .catch((e) => log(`[standing-pool] ${(e as Error).message}`));
  }, config.workshops.poolTickSeconds * 1000);
  poolTicker.unref();

  const services: AppServices = { labs, engine, sessions, config, registryConsole, capacity, publicOrigins, auth, workshops, standingPool };
  setServices(services);

  const app = next({ dev: !!options.dev, dir: process.cwd(), quiet: true });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const bridge = createTerminalBridge({
    hub, sessions, publicOrigins,
    maxPerSession: config.limits.terminalsPerSession,
    maxMessageBytes: config.limits.terminalMessageBytes,
    log: (m) => log(`[terminal] ${m}`),
  });

  const server = createServer((req, res) => {
    // The route handlers' only source for the client's address: never what the client sent.
    req.headers[CLIENT_HEADER] = clientAddress(req, config.server.trustProxy);
    // Next decodes route parameters and answers 500 on broken percent-encoding (`/api/sessions/%E0%A4%A`): refuse it first.
    if (safeDecode((req.url ?? '/').split('?')[0]) === null) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'the path is not valid percent-encoded UTF-8' }));
      return;
    }
    // A body announced larger than any route accepts is refused before a byte of it is read.
    if (Number(req.headers['content-length'] ?? 0) > config.limits.maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: `request body is larger than ${config.limits.maxBodyBytes} bytes` }));
      return;
    }
    handleNext(req, res).catch((err) => {
      log(`[http] ${req.method} ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  const watch = createWatchBridge({
    hub, allowedOrigins: publicOrigins, log: (m) => log(`[workshops] ${m}`),
    authorize: async (headers, sessionId, node) => workshops.authorizeWatch(await instructorOf(auth, headers), sessionId, node),
    onWatchers: (sessionId, count) => void workshops.setWatchers(sessionId, count).catch(() => undefined),
  });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    // Node stops watching an upgraded socket: a reset here must not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    if (bridge.handles(req)) return bridge.upgrade(req, socket, head);
    if (watch.handles(req)) return watch.upgrade(req, socket, head);
    // Only development's hot reload upgrades anything else; every other path is answered and closed
    // (handed to Next they stayed open forever, one leaked descriptor each).
    if (options.dev && (req.url ?? '').startsWith('/_next/')) return void nextUpgrade(req, socket, head);
    // Destroyed once written: a client that never closes its side must not hold the descriptor.
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://localhost:${port}`;
  publicOrigins.push(...publicOriginsFor([...config.server.publicOrigins, ...config.server.allowedOrigins], port));

  return {
    url,
    services,
    async close() {
      clearInterval(reaper);
      clearInterval(poolTicker);
      await workshops.pool.settle();
      await standingPool.settle();
      bridge.close();
      watch.close();
      // Shells close; sessions stay for the next server to re-adopt.
      hub.closeAll(1001, 'server restarting');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sessions.settle();
      await db.$disconnect();
    },
  };
}

/** Node image, hub mirror with the lab images, and the docker provisioner wired to both. */
async function dockerProvisioner(docker: Docker, isolation: EngineIsolation, config: Config, log: (m: string) => void): Promise<Provisioner> {
  const images = await ensureImages(docker, { names: ['node', 'hub', 'registry'], onProgress: (e) => log(formatImageProgress(e)) });
  // Images earlier checkouts built and nothing uses: a day old at least, so a second checkout on this engine keeps its own.
  pruneImages(docker, Object.values(images), { minAgeMs: PRUNE_AFTER_MS })
    .then((removed) => removed.length && log(`[images] removed ${removed.length} outdated image(s): ${removed.join(', ')}`))
    .catch((err: Error) => log(`[images] could not prune outdated images: ${err.message}`));
  const hub = await ensureHub(docker, images.hub, { upstream: config.hub.upstream });
  if (hub.upstream) log(`[images] hub mirror proxies ${hub.upstream}: labs get the real images`);
  else await preloadHub(docker, hub, { hubImage: images.hub, baseImage: baseTag(hostDebianMirror()), log: (m) => log(`[images] ${m}`) });
  return createDockerProvisioner({
    docker,
    resolveImage: (logical) => {
      if (logical === REGISTRY_IMAGE) return images.registry;
      if (!KNOWN_IMAGES.includes(logical)) throw new Error(`no node image named ${logical}: labs use ${KNOWN_IMAGES.join(', ')}`);
      return images[logical as 'node'];
    },
    limits: {
      memoryBytes: config.docker.nodeMemoryMb * 1024 * 1024,
      nanoCpus: Math.round(config.docker.nodeCpus * 1e9),
      pidsLimit: config.docker.nodePids,
    },
    internalNetworks: config.docker.internalNetworks,
    isolation,
    instance: instanceId(config.dataDir),
    ...(config.docker.sessionDiskMb > 0 ? { disks: sessionDisksFor(config, isolation) } : {}),
    attach: [{ container: hub.container, alias: hub.alias }],
    nodeEnv: { LABDOCK_REGISTRY_MIRROR: hub.mirror },
  });
}

/** Every session's disk budget (session-disk.ts): images under diskDir, one folder per server instance. */
function sessionDisksFor(config: Config, isolation: EngineIsolation): SessionDisks {
  // Fail closed: without root there are no loop mounts, so no budget could hold.
  if (process.getuid?.() !== 0) throw new Error(`session disk budgets need root (loop mounts); run as root or set LABDOCK_DOCKER_SESSION_DISK_MB=0 to run sessions without one`);
  return sessionDisks({
    dir: path.join(config.docker.diskDir, instanceId(config.dataDir)),
    budgetBytes: config.docker.sessionDiskMb * 1024 * 1024,
    owner: isolation.mode === 'userns' ? isolation.remappedRoot : null,
  });
}

/** Names this server's engine resources: servers with different data directories never sweep each other's sessions. */
function instanceId(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const dev = process.argv.includes('--dev');
  const started = await startServer(config, { dev });
  console.log(`labdock is ready: ${started.url}`);
  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down (sessions stay up and are re-adopted on the next start)`);
    await started.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('runtime', 'server.ts'))) {
  main().catch((err) => {
    // A database that cannot be used is the operator's to fix: its message says how; a stack would bury it.
    if (err instanceof DatabaseError) {
      console.error(`labdock could not start: ${err.message}`);
      process.exit(1);
    }
    console.error(`labdock could not start: ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
}
