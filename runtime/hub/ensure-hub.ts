/**
 * The hub mirror: one CNCF Distribution per engine (`labdock-hub`) serving the
 * images labs pull. Every session network gets it under the alias
 * `mirror.labdock`, and every node's dockerd lists it as a registry mirror, so
 * `docker pull alpine:3.6` works in a node with no internet.
 *
 *   const hub = await ensureHub(docker, tags.hub);
 *   hub.url      // http://172.19.0.2:5000 — for the server (preloading)
 *   hub.mirror   // mirror.labdock:5000     — for nodes
 */
import type Docker from 'dockerode';
import { LABELS } from '../provisioner/provisioner';
import { hubBridgeName } from '../engine/host-firewall';

export const HUB = {
  container: 'labdock-hub',
  network: 'labdock-hub',
  volume: 'labdock-hub-data',
  alias: 'mirror.labdock',
  port: 5000,
} as const;

export interface Hub {
  url: string;
  mirror: string;
  container: string;
  alias: string;
  /** Image, network and volume: what the preload's writer (hub-writer.ts) shares. */
  image: string;
  network: string;
  volume: string;
  /** Set when the hub is a pull-through cache of a real registry (then it holds no fixtures). */
  upstream: string | null;
}

export interface HubOptions {
  /**
   * A registry the hub proxies and caches (e.g. https://registry-1.docker.io)
   * where the host can reach one: labs then get the real images. Empty: the
   * hub serves labdock's preloaded lab images, offline.
   */
  upstream?: string;
  /** Container and volume name; tests use their own so they never touch the real hub. */
  name?: string;
}

export async function ensureHub(docker: Docker, image: string, options: HubOptions = {}): Promise<Hub> {
  const name = options.name ?? HUB.container;
  const volume = options.name ? `${options.name}-data` : HUB.volume;
  const upstream = options.upstream || null;
  const labels = { [LABELS.managed]: 'true', 'labdock.role': 'hub', 'labdock.hub.upstream': upstream ?? '' };
  // Engines on one host can share an ID (it comes from /etc/docker/key.json): their data roots differ.
  const engine = (await docker.info()) as { ID: string; DockerRootDir: string };
  const bridge = hubBridgeName(`${engine.ID}|${engine.DockerRootDir}`);
  const network = await docker.getNetwork(HUB.network).inspect().catch(() => null);
  if (network && network.Options?.['com.docker.network.bridge.name'] !== bridge) {
    // Made by an older labdock, on a bridge the host firewall does not know: replace it (the hub's volume stays).
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    await docker.getNetwork(HUB.network).remove();
  }
  if (!network || network.Options?.['com.docker.network.bridge.name'] !== bridge) {
    await docker.createNetwork({
      Name: HUB.network, Driver: 'bridge', CheckDuplicate: true,
      Labels: { [LABELS.managed]: 'true', 'labdock.role': 'hub' },
      Options: { 'com.docker.network.bridge.name': bridge },
    });
  }
  if (!(await docker.getVolume(volume).inspect().catch(() => null))) {
    await docker.createVolume({ Name: volume, Labels: labels });
  }
  let info = await docker.getContainer(name).inspect().catch(() => null);
  if (info && (info.Config.Image !== image || (info.Config.Labels?.['labdock.hub.upstream'] ?? '') !== (upstream ?? ''))) {
    // A newer hub image or another mode: replace the container, keep the volume (its images stay).
    await docker.getContainer(name).remove({ force: true });
    info = null;
  }
  if (!info) {
    await docker.createContainer({
      name,
      Image: image,
      Labels: labels,
      // Distribution's own pull-through cache mode, configured through its REGISTRY_* overrides.
      Env: upstream ? [`REGISTRY_PROXY_REMOTEURL=${upstream}`] : [],
      HostConfig: {
        NetworkMode: HUB.network,
        Binds: [`${volume}:/var/lib/docker-registry`],
        RestartPolicy: { Name: 'unless-stopped' },
        Memory: 256 * 1024 * 1024,
      },
    });
  }
  const container = docker.getContainer(name);
  if (!(await container.inspect()).State.Running) await container.start();
  const ip = (await container.inspect()).NetworkSettings.Networks[HUB.network]?.IPAddress;
  if (!ip) throw new Error(`the hub mirror has no address on ${HUB.network}`);
  const url = `http://${ip}:${HUB.port}`;
  await waitForRegistry(url);
  return { url, mirror: `${HUB.alias}:${HUB.port}`, container: name, alias: HUB.alias, image, network: HUB.network, volume, upstream };
}

export async function waitForRegistry(url: string): Promise<void> {
  let last = '';
  // Distribution answers within a second of starting; 30 s means it is broken.
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the hub mirror at ${url} did not answer: ${last}`);
}
