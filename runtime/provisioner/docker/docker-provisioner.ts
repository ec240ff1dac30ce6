/**
 * The docker provisioner: nodes are Docker-in-Docker containers on one
 * internal network per session, created with dockerode.
 *
 *   const p = createDockerProvisioner({ docker, resolveImage: (n) => tags[n], runOptions: dindHostConfig(), instance: 'a1b2' });
 *   await p.createSession('s1');                                   // network labdock-s1
 *   await p.createNode('s1', { name: 'node1', hostname: 'node1', image: 'node' });  // waits for its dockerd
 *
 * Every container, network and volume is labelled (LABELS) so that a
 * restarted server finds its sessions and sweeps what no session owns.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { SESSION_BRIDGE_PREFIX } from '../../engine/host-firewall';
import {
  LABELS, NodeNotFoundError,
  type NodeInfo, type NodeSpec, type Provisioner, type Terminal,
} from '../provisioner';
import { execTerminal } from './exec-terminal';
import { runExec } from './run-exec';
import { waitReady } from './wait-ready';
import { stopSession } from './stop-session';
import { nodeCgroups, type NodeCgroups } from './node-cgroups';
import { nodeHostConfig } from './node-host-config';
import type { EngineIsolation } from '../../engine/engine-isolation';
import type { SessionDisks } from '../disk/session-disk';

export interface DockerProvisionerOptions {
  docker: Docker;
  /** Logical image name ("node") → built tag. */
  resolveImage(logical: string): string;
  /** How the engine isolates nodes (engine-isolation.ts): decides each node's HostConfig. */
  isolation: EngineIsolation;
  /** Where the cgroup tree is (tests); default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /** Labels resources so this server sweeps only its own orphans. */
  instance: string;
  limits?: { memoryBytes?: number; nanoCpus?: number; pidsLimit?: number };
  internalNetworks?: boolean;
  /** How long a new node's dockerd may take to answer before the node counts as failed. */
  readyTimeoutMs?: number;
  /** false: createNode returns once the container runs, without waiting for its dockerd (default true). */
  waitUntilReady?: boolean;
  /** Extra environment for every node (e.g. LABDOCK_REGISTRY_MIRROR). */
  nodeEnv?: Record<string, string>;
  /** Shared containers joined to every session network under an alias (the hub mirror). */
  attach?: { container: string; alias: string }[];
  /** Each session's disk budget (session-disk.ts): everything its nodes write lives on it. Absent: unbounded. */
  disks?: SessionDisks;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Names dockerd resolves when pulling `docker.io` images, even when a mirror serves them. */
const DOCKER_HUB_NAMES = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'auth.docker.io', 'production.cloudflare.docker.com'];

export function createDockerProvisioner(options: DockerProvisionerOptions): Provisioner {
  const { docker, instance } = options;
  const limits = { memoryBytes: 1024 ** 3, nanoCpus: 1e9, pidsLimit: 2048, ...options.limits };
  // userns engines: labdock makes and delegates each node's cgroup (node-cgroups.ts).
  const cgroups: NodeCgroups | null = options.isolation.mode === 'userns'
    ? nodeCgroups({ owner: options.isolation.remappedRoot, top: `labdock/${instance}`, ...(options.cgroupRoot ? { root: options.cgroupRoot } : {}) })
    : null;
  const networkName = (sessionId: string) => `labdock-${sessionId}`;
  const containerName = (sessionId: string, node: string) => `labdock-${sessionId}-${node}`;
  const labels = (sessionId: string, node?: string) => ({
    [LABELS.managed]: 'true',
    [LABELS.instance]: instance,
    [LABELS.session]: sessionId,
    ...(node ? { [LABELS.node]: node } : {}),
  });
  const sessionFilter = (sessionId: string) => ({ label: [`${LABELS.session}=${sessionId}`, `${LABELS.instance}=${instance}`] });
  const { disks } = options;
  // Where the engine keeps containers' directories (with userns-remap, the remapped root's): asked once.
  let engineRoot: Promise<string> | null = null;

  async function running(sessionId: string, node: string): Promise<Docker.Container> {
    if (!ID.test(sessionId) || !ID.test(node)) throw new NodeNotFoundError(sessionId, node);
    const container = docker.getContainer(containerName(sessionId, node));
    const info = await container.inspect().catch(() => null);
    // The labels, not just the name, must say it is this session's node.
    if (!info || info.Config.Labels?.[LABELS.session] !== sessionId || !info.State.Running) throw new NodeNotFoundError(sessionId, node);
    return container;
  }

  return {
    kind: 'docker',

    async createSession(sessionId) {
      if (!ID.test(sessionId)) throw new Error(`invalid session id: ${sessionId}`);
      await disks?.prepare(sessionId);
      await docker.createNetwork({
        Name: networkName(sessionId),
        Driver: 'bridge',
        Internal: options.internalNetworks ?? true,
        CheckDuplicate: true,
        // A bridge name the host firewall knows (host-firewall.ts drops what session bridges start towards the host).
        Options: { 'com.docker.network.bridge.name': sessionBridgeName(instance, sessionId) },
        Labels: labels(sessionId),
      });
      for (const a of options.attach ?? []) {
        await docker.getNetwork(networkName(sessionId)).connect({ Container: a.container, EndpointConfig: { Aliases: [a.alias] } });
      }
    },

    async createNode(sessionId, spec: NodeSpec): Promise<NodeInfo> {
      if (!ID.test(spec.name)) throw new Error(`invalid node name: ${spec.name}`);
      const volume = `${containerName(sessionId, spec.name)}-${spec.service ? 'data' : 'docker'}`;
      await docker.createVolume({ Name: volume, Labels: labels(sessionId, spec.name), ...await disks?.volume(sessionId, volume) });
      const mount = spec.service ? spec.service.volumePath : '/var/lib/docker';
      // Service nodes get no extra privileges: only DinD nodes need them.
      const privileges = spec.service ? { Binds: [] as string[] }
        : nodeHostConfig(options.isolation, cgroups?.prepare(sessionId, spec.name, limits) ?? null);
      const container = await docker.createContainer({
        name: containerName(sessionId, spec.name),
        Image: options.resolveImage(spec.image),
        Hostname: spec.hostname,
        Labels: labels(sessionId, spec.name),
        Env: Object.entries({ ...(spec.service ? {} : options.nodeEnv), ...spec.env }).map(([k, v]) => `${k}=${v}`),
        HostConfig: {
          ...privileges,
          Binds: [...(privileges.Binds ?? []), ...(mount ? [`${volume}:${mount}`] : [])],
          NetworkMode: networkName(sessionId),
          Memory: limits.memoryBytes,
          MemorySwap: limits.memoryBytes,
          NanoCpus: limits.nanoCpus,
          PidsLimit: limits.pidsLimit,
          Init: false,
          // Nodes come back after an engine restart or a host reboot: a learner's work is not lost with dockerd.
          RestartPolicy: { Name: 'unless-stopped' },
          // Session networks are internal: a name the network does not know can only time out
          // (5 s × 2 per lookup, which made every `docker pull` through the mirror take 10 s).
          // Fail such lookups fast, and answer Docker Hub's names locally so the daemon's
          // lookups of them return at once and its fallback past the mirror is refused at once.
          DnsOptions: ['timeout:1', 'attempts:1'],
          ExtraHosts: (options.internalNetworks ?? true) ? DOCKER_HUB_NAMES.map((n) => `${n}:127.0.0.1`) : [],
          // The log lives on the session disk with a budget: a chatty node must not spend it all.
          ...(disks ? { LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } } } : {}),
        },
        NetworkingConfig: { EndpointsConfig: { [networkName(sessionId)]: { Aliases: [spec.hostname] } } },
      });
      if (disks) await disks.adopt(sessionId, await container.inspect(), await (engineRoot ??= docker.info().then((i: { DockerRootDir: string }) => i.DockerRootDir)));
      await container.start();
      // A service node's readiness is what makes it usable at all: it is always awaited.
      if (options.waitUntilReady !== false || spec.service) await waitReady(container, spec.name, spec.service?.readyCommand ?? ['docker', 'version', '--format', '{{.Server.Version}}'], options.readyTimeoutMs ?? 60_000);
      return { name: spec.name, hostname: spec.hostname, ref: container.id };
    },

    async recreateNode(sessionId, spec) {
      // What is left of a lost node goes (its volume stays), then it is created as before.
      await docker.getContainer(containerName(sessionId, spec.name)).remove({ force: true }).catch(ignoreMissing);
      return this.createNode(sessionId, spec);
    },

    async exec(sessionId, node, command, opts = {}) {
      return runExec(await running(sessionId, node), ['bash', '-c', command], opts);
    },

    async openTerminal(sessionId, node, size): Promise<Terminal> {
      return execTerminal(await running(sessionId, node), size);
    },

    async destroySession(sessionId) {
      const filters = sessionFilter(sessionId);
      const containers = await docker.listContainers({ all: true, filters });
      await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing)));
      const { Volumes } = await docker.listVolumes({ filters });
      await Promise.all((Volumes ?? []).map((v) => docker.getVolume(v.Name).remove().catch(ignoreMissing)));
      const networks = await docker.listNetworks({ filters });
      for (const n of networks) {
        // Shared containers (the hub) must leave first, or the network cannot be removed.
        for (const a of options.attach ?? []) await docker.getNetwork(n.Id).disconnect({ Container: a.container, Force: true }).catch(() => undefined);
      }
      await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreMissing)));
      await disks?.remove(sessionId);
      const left = cgroups?.removeSession(sessionId) ?? [];
      if (left.length) throw new Error(`session ${sessionId}: cgroups still in use: ${left.join(', ')}`);
    },

    async listSessions() {
      const filters = { label: [`${LABELS.instance}=${instance}`] };
      const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
      const ids = new Set<string>();
      for (const l of [...containers.map((c) => c.Labels), ...networks.map((n) => n.Labels ?? {})]) if (l[LABELS.session]) ids.add(l[LABELS.session]);
      const { Volumes } = await docker.listVolumes({ filters });
      for (const v of Volumes ?? []) if (v.Labels?.[LABELS.session]) ids.add(v.Labels[LABELS.session]);
      for (const id of await disks?.list() ?? []) ids.add(id);
      return [...ids];
    },

    async pauseSession(sessionId) {
      await stopSession(docker, sessionFilter(sessionId));
      await disks?.park(sessionId);
    },

    // Resuming is what a restart after a reboot does: cgroups made again, stopped nodes started; and its disk budget held again.
    async resumeSession(sessionId) {
      await disks?.unpark(sessionId);
      return this.restoreSession!(sessionId);
    },

    async restoreSession(sessionId) {
      const restarted: string[] = [];
      // Mounted before any node starts: a node whose disk is not there fails to start rather than write to the host.
      await disks?.restore(sessionId);
      // In parallel: a session is back in the time of its slowest node.
      await Promise.all((await docker.listContainers({ all: true, filters: sessionFilter(sessionId) })).map(async (c) => {
        const node = c.Labels[LABELS.node];
        if (!node) return;
        const container = docker.getContainer(c.Id);
        // A node's delegated cgroup lives in the kernel only: a host reboot takes it, and an engine that
        // restarted the node meanwhile made a plain root-owned one in its place (no limits, no delegation).
        const isDind = !!(await container.inspect()).HostConfig.CgroupParent;
        const lost = cgroups && isDind && !cgroups.isPrepared(sessionId, node, limits);
        if (lost) cgroups.prepare(sessionId, node, limits);
        if (c.State !== 'running' || lost) {
          await (c.State === 'running' ? container.restart({ t: 5 }) : container.start());
          // Usable again only once its dockerd answers, as after createNode.
          if (isDind) await waitReady(container, node, ['docker', 'version', '--format', '{{.Server.Version}}'], options.readyTimeoutMs ?? 60_000);
          restarted.push(node);
        }
      }));
      return restarted;
    },

    ...(disks ? { diskUsage: (sessionId: string) => disks.usage(sessionId) } : {}),

    async isNodeAlive(sessionId, node) {
      return running(sessionId, node).then(() => true, () => false);
    },

    async nodeEndpoint(sessionId, node) {
      const info = await (await running(sessionId, node)).inspect();
      // The session network's address only: a node attached elsewhere must not be reached through another network.
      const address = info.NetworkSettings.Networks?.[networkName(sessionId)]?.IPAddress;
      if (!address) throw new NodeNotFoundError(sessionId, node);
      const env: Record<string, string> = {};
      for (const entry of info.Config.Env ?? []) {
        const eq = entry.indexOf('=');
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
      }
      return { address, env };
    },
  };
}

/** Linux bridge names are at most 15 bytes: `ldk` + 12 hex of a hash, one per session and server. */
export function sessionBridgeName(instance: string, sessionId: string): string {
  return `${SESSION_BRIDGE_PREFIX}${createHash('sha256').update(`${instance}/${sessionId}`).digest('hex').slice(0, 12)}`;
}

function ignoreMissing(err: { statusCode?: number }) {
  if (err?.statusCode !== 404 && err?.statusCode !== 409) throw err;
}
