/**
 * The one write path for tags. A push through the control plane and a
 * promotion both write a tag here: one at a time per tag (a lock), the
 * repository recorded, immutability decided under the lock with one existence
 * test (Distribution's own answer for the tag), and after the write the tag
 * limit pruned with a TAG_DELETE event per pruned tag. TAG_PUSH itself comes
 * from Distribution's notification of the write, for both.
 *
 *   const tags = createTagWriter({ accounts, storage, distribution, bus, log });
 *   await tags.write('admin/alpine', '3.6', 'admin', async () => (await put()) === 201);
 *   // throws TagRefused when admin/alpine is immutable and 3.6 exists
 */
import type { Accounts } from '../control-plane/accounts';
import type { DistributionClient } from '../distribution/distribution-client';
import type { EventBus } from '../events/event-bus';
import type { RegistryStorage } from '../storage/registry-storage';
import { enforceTagLimit } from '../storage/enforce-tag-limit';
import { immutableTagProblem } from '../v2/policies/immutable-tags';
import { KeyedLock } from './keyed-lock';

export class TagRefused extends Error {}

export interface TagWriterDeps {
  accounts: Pick<Accounts, 'repository' | 'ensureRepository'>;
  storage: RegistryStorage;
  distribution: Pick<DistributionClient, 'tagDigest'>;
  bus: EventBus;
  log: (message: string) => void;
}

export function createTagWriter(deps: TagWriterDeps) {
  const locks = new KeyedLock();
  return {
    /**
     * Writes `repository:tag` by calling `write` (which answers whether the tag
     * was written) under the tag's lock. With `digest` (known before writing, as
     * for a promotion), a tag that already holds that digest is left alone:
     * 'unchanged'. Throws TagRefused for an immutable tag, and whatever the
     * existence test throws (fail closed: no write when it cannot tell).
     */
    write(repository: string, tag: string, actor: string, write: () => Promise<boolean>, options: { digest?: string } = {}): Promise<'written' | 'unchanged' | 'failed'> {
      return locks.run(`${repository}:${tag}`, async () => {
        deps.accounts.ensureRepository(repository);
        const settings = deps.accounts.repository(repository);
        const needsCurrent = !!settings?.immutableTags || !!options.digest;
        const current = needsCurrent ? await deps.distribution.tagDigest(repository, tag) : null;
        if (options.digest && current === options.digest) return 'unchanged';
        const problem = immutableTagProblem(repository, tag, settings, current);
        if (problem) throw new TagRefused(problem);
        if (!(await write())) return 'failed';
        prune(repository, tag, actor);
        return 'written';
      });
    },
  };

  function prune(repository: string, written: string, actor: string) {
    const limit = deps.accounts.repository(repository)?.tagLimit ?? 0;
    const pruned = enforceTagLimit(deps.storage, repository, limit, written);
    if (!pruned.length) return;
    deps.log(`tag limit ${limit} of ${repository}: pruned ${pruned.join(', ')}`);
    for (const tag of pruned) deps.bus.publish({ type: 'TAG_DELETE', repository, tag, actor, details: { reason: `tag limit ${limit}` } });
  }
}

export type TagWriter = ReturnType<typeof createTagWriter>;
