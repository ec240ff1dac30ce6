/**
 * DTR's repository tag limit (seed 003): tags are kept first in, first out —
 * with a limit of 2, pushing a third tag pushes out the oldest. Runs after a
 * tag push succeeds; the tag just pushed is never the one removed. Pruned tags
 * are soft-deleted (their manifests and blobs wait for garbage collection).
 *
 *   enforceTagLimit(storage, 'admin/alpine', 2, '3.7')   // ['3.5'] — what was pruned
 */
import type { RegistryStorage } from './registry-storage';

export function enforceTagLimit(storage: RegistryStorage, repository: string, limit: number, justPushed: string): string[] {
  if (!limit || limit < 1) return [];
  const tags = storage.listTags(repository);
  const excess = tags.length - limit;
  if (excess <= 0) return [];
  const pruned = tags.filter((t) => t.name !== justPushed).slice(0, excess).map((t) => t.name);
  for (const tag of pruned) storage.deleteTag(repository, tag);
  return pruned;
}
