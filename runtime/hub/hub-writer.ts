/**
 * The only way anything is written to the hub mirror. The hub that sessions
 * reach serves read-only (hub.yml: maintenance.readonly), so a node cannot
 * replace `library/alpine:3.6` for every other session or fill the hub's disk.
 * labdock's preload runs a second Distribution on the same volume, writable,
 * for as long as it pushes: on the hub's own network only (never joined to a
 * session network), and removed afterwards, even when the push fails.
 *
 *   await withHubWriter(docker, hub, async (writerUrl) => pushImage(writerUrl, 'library/alpine', '3.6', image));
 *
 * Both serve the filesystem driver without a cache, so what the writer stores
 * is what the hub serves on the next request.
 */
import type Docker from 'dockerode';
import { LABELS } from '../provisioner/provisioner';
import { HUB, waitForRegistry, type Hub } from './ensure-hub';

export async function withHubWriter<T>(docker: Docker, hub: Hub, write: (writerUrl: string) => Promise<T>): Promise<T> {
  const name = `${hub.container}-writer`;
  // A writer left by a crashed preload would otherwise block the name.
  await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
  const container = await docker.createContainer({
    name,
    Image: hub.image,
    Labels: { [LABELS.managed]: 'true', 'labdock.role': 'hub-writer' },
    Cmd: ['docker-registry', 'serve', '/etc/labdock/hub-writer.yml'],
    HostConfig: { NetworkMode: hub.network, Binds: [`${hub.volume}:/var/lib/docker-registry`], Memory: 256 * 1024 * 1024 },
  });
  try {
    await container.start();
    const ip = (await container.inspect()).NetworkSettings.Networks[hub.network]?.IPAddress;
    if (!ip) throw new Error(`the hub writer has no address on ${hub.network}`);
    const url = `http://${ip}:${HUB.port}`;
    await waitForRegistry(url);
    return await write(url);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
