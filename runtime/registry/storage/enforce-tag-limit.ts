/**
 * The tag limit applied to storage: prunes what v2/policies/tag-limit.ts
 * says, oldest first. Pruned tags are soft-deleted (their manifests and
 * blobs wait for garbage collection).
 *
 *   enforceTagLimit(storage, 'admin/alpine', 2, '3.7')   // ['3.5'] — what was pruned
 */
import type { RegistryStorage } from './registry-storage';
import { tagsToPrune } from '../v2/policies/tag-limit';

export function enforceTagLimit(storage: RegistryStorage, repository: string, limit: number, justPushed: string): string[] {
  const pruned = tagsToPrune(storage.listTags(repository), limit, justPushed);
  for (const tag of pruned) storage.deleteTag(repository, tag);
  return pruned;
}
