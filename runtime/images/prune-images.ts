/**
 * Removes labdock images that an older checkout built and nothing uses any
 * more: every image tag is a hash of its inputs, so each change to a
 * Dockerfile or to the registry's control plane leaves the previous image
 * behind (hundreds of MB each). Only images labdock built (`labdock.image`
 * label), not among the tags in use now, not used by any container, and older
 * than `minAgeMs` go — the age keeps a second checkout on the same engine
 * (another branch, a CI run) from losing the images it just built.
 *
 *   const removed = await pruneImages(docker, Object.values(tags), { minAgeMs: 24 * 3600_000 });   // labdock/* only
 */
import type Docker from 'dockerode';

export interface PruneOptions {
  /** Younger images stay. */
  minAgeMs: number;
  /** Only tags under this repository prefix are candidates. */
  prefix?: string;
  now?: () => number;
}

export async function pruneImages(docker: Docker, keep: string[], options: PruneOptions): Promise<string[]> {
  const now = options.now?.() ?? Date.now();
  const inUse = new Set((await docker.listContainers({ all: true })).map((c) => c.ImageID));
  const keepIds = new Set<string>();
  for (const tag of keep) {
    const id = await docker.getImage(tag).inspect().then((i) => i.Id, () => null);
    if (id) keepIds.add(id);
  }
  const removed: string[] = [];
  for (const image of await docker.listImages({ filters: { label: ['labdock.image'] } })) {
    if (keepIds.has(image.Id) || inUse.has(image.Id)) continue;
    if (now - image.Created * 1000 < options.minAgeMs) continue;
    for (const tag of image.RepoTags ?? []) {
      if (!tag.startsWith(options.prefix ?? 'labdock/') || keep.includes(tag)) continue;
      // Refused while something still needs it (a container created meanwhile): that is fine, it stays.
      if (await docker.getImage(tag).remove().then(() => true, () => false)) removed.push(tag);
    }
  }
  return removed;
}
