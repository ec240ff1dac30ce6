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
}

const labels = { [LABELS.managed]: 'true', 'labdock.role': 'hub' };

export async function ensureHub(docker: Docker, image: string): Promise<Hub> {
  if (!(await docker.getNetwork(HUB.network).inspect().catch(() => null))) {
    await docker.createNetwork({ Name: HUB.network, Driver: 'bridge', Labels: labels, CheckDuplicate: true });
  }
  if (!(await docker.getVolume(HUB.volume).inspect().catch(() => null))) {
    await docker.createVolume({ Name: HUB.volume, Labels: labels });
  }
  let info = await docker.getContainer(HUB.container).inspect().catch(() => null);
  if (info && info.Config.Image !== image) {
    // A newer hub image: replace the container, keep the volume (its images stay).
    await docker.getContainer(HUB.container).remove({ force: true });
    info = null;
  }
  if (!info) {
    await docker.createContainer({
      name: HUB.container,
      Image: image,
      Labels: labels,
      HostConfig: {
        NetworkMode: HUB.network,
        Binds: [`${HUB.volume}:/var/lib/docker-registry`],
        RestartPolicy: { Name: 'unless-stopped' },
        Memory: 256 * 1024 * 1024,
      },
    });
  }
  const container = docker.getContainer(HUB.container);
  if (!(await container.inspect()).State.Running) await container.start();
  const ip = (await container.inspect()).NetworkSettings.Networks[HUB.network]?.IPAddress;
  if (!ip) throw new Error(`the hub mirror has no address on ${HUB.network}`);
  const url = `http://${ip}:${HUB.port}`;
  await waitForRegistry(url);
  return { url, mirror: `${HUB.alias}:${HUB.port}`, container: HUB.container, alias: HUB.alias };
}

async function waitForRegistry(url: string): Promise<void> {
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
