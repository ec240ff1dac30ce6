/**
 * What Distribution's HTTP API cannot do, done on its filesystem storage: the
 * control plane runs beside Distribution in the registry node and shares its
 * storage root. Distribution 2.8 deletes manifests by digest only (every tag
 * of that digest goes) and never deletes repositories; DTR's single-tag
 * "soft delete" and repository delete remove the tag's or repository's links,
 * and garbage collection later frees the blobs nothing references any more.
 * Distribution reads tags from storage on every request (no tag cache), so a
 * removed link is gone at once.
 *
 *   const storage = openRegistryStorage('/var/lib/labdock-registry/distribution');
 *   storage.listTags('admin/alpine')       // [{ name, digest, updatedAt }] oldest first
 *   storage.deleteTag('admin/alpine', '3.3')
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { repositoryPathProblem, tagNameProblem } from '../policy/names';

export interface StoredTag {
  name: string;
  digest: string;
  /** When the tag was last pushed: its link's modification time. */
  updatedAt: Date;
}

export function openRegistryStorage(root: string) {
  const repositories = path.join(root, 'docker/registry/v2/repositories');
  const blobs = path.join(root, 'docker/registry/v2/blobs');

  /** Names reach the filesystem only after the same checks pushes get: no `..`, no absolute paths. */
  function repositoryDir(repository: string): string {
    const problem = repositoryPathProblem(repository);
    if (problem) throw new Error(problem);
    return path.join(repositories, repository);
  }

  function tagDir(repository: string, tag: string): string {
    const problem = tagNameProblem(tag);
    if (problem) throw new Error(problem);
    return path.join(repositoryDir(repository), '_manifests/tags', tag);
  }

  return {
    root,

    /** The repository's tags, oldest push first. */
    listTags(repository: string): StoredTag[] {
      const dir = path.join(repositoryDir(repository), '_manifests/tags');
      if (!existsSync(dir)) return [];
      const tags: StoredTag[] = [];
      for (const name of readdirSync(dir)) {
        const link = path.join(dir, name, 'current/link');
        try {
          tags.push({ name, digest: readFileSync(link, 'utf8').trim(), updatedAt: statSync(link).mtime });
        } catch {
          // A tag being written or removed right now: not a tag yet, or not any more.
        }
      }
      return tags.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.name.localeCompare(b.name));
    },

    /** Removes one tag, leaving the manifest and its other tags. False when there was no such tag. */
    deleteTag(repository: string, tag: string): boolean {
      const dir = tagDir(repository, tag);
      if (!existsSync(dir)) return false;
      rmSync(dir, { recursive: true, force: true });
      return true;
    },

    /** Removes a repository's links (tags, manifests, layers); its blobs wait for garbage collection. */
    deleteRepository(repository: string): boolean {
      const dir = repositoryDir(repository);
      if (!existsSync(dir)) return false;
      rmSync(dir, { recursive: true, force: true });
      return true;
    },

    /** A small blob's bytes (manifests, image configs), or null when absent or larger than `maxBytes`. */
    readBlob(digest: string, maxBytes = 4 * 1024 * 1024): Buffer | null {
      const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
      if (!m) return null;
      const file = path.join(blobs, 'sha256', m[1].slice(0, 2), m[1], 'data');
      try {
        if (statSync(file).size > maxBytes) return null;
        return readFileSync(file);
      } catch {
        return null;
      }
    },

    /** Nothing was ever pushed (Distribution's collector fails on a storage without repositories). */
    isEmpty(): boolean {
      return !existsSync(repositories);
    },

    /** Bytes and count of every blob on disk: what garbage collection is measured by. */
    blobUsage(): { bytes: number; blobs: number } {
      let bytes = 0;
      let count = 0;
      const walk = (dir: string) => {
        if (!existsSync(dir)) return;
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(p);
          else if (entry.name === 'data') {
            bytes += statSync(p).size;
            count++;
          }
        }
      };
      walk(blobs);
      return { bytes, blobs: count };
    },
  };
}

export type RegistryStorage = ReturnType<typeof openRegistryStorage>;
