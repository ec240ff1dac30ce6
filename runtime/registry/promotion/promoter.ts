/**
 * Runs promotion policies on registry events: a TAG_PUSH evaluates the
 * repository's policies that look only at tags, a SCAN_COMPLETED those with
 * vulnerability rules (they need the scan's counts). A promotion copies the
 * manifest into the target repository inside Distribution — blobs are
 * cross-mounted, not copied, and the manifest is written byte for byte so
 * its digest stays — then publishes PROMOTION. The copy is itself a push that
 * Distribution notifies, so the target's own scan on push and policies run
 * next: policies chain.
 *
 *   const promoter = createPromoter({ policies, storage, accounts, distribution, bus, notifications });
 *   bus.subscribe(promoter.onEvent);
 */
import type { DistributionClient } from '../distribution/distribution-client';
import type { PolicyStore, PromotionPolicy } from './policy-store';
import { needsScan, promotedTag, rulesHold } from './promotion-rules';
import type { ScanSummary } from '../scanning/service/scan-store';
import type { RegistryStorage } from '../storage/registry-storage';
import { enforceTagLimit } from '../storage/enforce-tag-limit';
import type { Accounts } from '../control-plane/accounts';
import type { EventBus, PublishedEvent } from '../events/event-bus';
import type { NotificationReceiver } from '../events/distribution-notifications';

export interface PromoterDeps {
  policies: PolicyStore;
  storage: RegistryStorage;
  accounts: Accounts;
  distribution: DistributionClient;
  bus: EventBus;
  notifications: NotificationReceiver;
  log?: (message: string) => void;
}

export function createPromoter(deps: PromoterDeps) {
  const log = deps.log ?? ((m: string) => console.log(`[promotion] ${m}`));

  async function promote(policy: PromotionPolicy, sourceTag: string, digest: string): Promise<string> {
    const target = policy.targetRepository;
    const tag = promotedTag(policy.tagTemplate, sourceTag);
    const targetRepo = deps.accounts.repository(target);
    const existing = deps.storage.listTags(target).find((t) => t.name === tag);
    if (existing?.digest === digest) return `${target}:${tag}`; // already there: nothing to do
    if (existing && targetRepo?.immutableTags) throw new Error(`tag=${tag} cannot be overwritten because ${target} is an immutable repository`);
    const manifest = await deps.distribution.manifest(policy.sourceRepository, digest);
    const parsed = JSON.parse(manifest.body.toString('utf8')) as { config?: { digest: string }; layers?: { digest: string }[] };
    if (!parsed.config) throw new Error('only image manifests are promoted (not manifest lists)');
    for (const d of [parsed.config.digest, ...(parsed.layers ?? []).map((l) => l.digest)]) await deps.distribution.copyBlob(policy.sourceRepository, target, d);
    deps.accounts.ensureRepository(target);
    deps.notifications.rememberActor('push', target, digest, policy.createdBy);
    await deps.distribution.putManifest(target, tag, manifest.contentType, manifest.body);
    const limit = deps.accounts.repository(target)?.tagLimit ?? 0;
    for (const pruned of enforceTagLimit(deps.storage, target, limit, tag)) deps.bus.publish({ type: 'TAG_DELETE', repository: target, tag: pruned, actor: policy.createdBy, details: { reason: `tag limit ${limit}` } });
    return `${target}:${tag}`;
  }

  /**
   * Which repositories an image has come through by promotion: `repo:tag` →
   * the chain so far, so a policy that would send it back into a repository
   * it came from is stopped (A → B → A, whatever the tag templates make).
   */
  const chains = new Map<string, { digest: string; repositories: string[]; until: number }>();
  const CHAIN_TTL_MS = 10 * 60_000;
  function chainOf(repository: string, tag: string, digest: string): string[] {
    const now = Date.now();
    for (const [k, v] of chains) if (v.until < now) chains.delete(k);
    const c = chains.get(`${repository}:${tag}`);
    return c && c.digest === digest ? c.repositories : [repository];
  }

  async function evaluate(repository: string, tag: string, digest: string, summary: ScanSummary | null, scanned: boolean, components: string[] | null) {
    for (const policy of deps.policies.forRepository(repository)) {
      if (!policy.enabled || needsScan(policy.rules) !== scanned) continue;
      if (!rulesHold(policy.rules, { tag, summary, components })) continue;
      const at = new Date().toISOString();
      try {
        const chain = chainOf(repository, tag, digest);
        if (chain.includes(policy.targetRepository)) throw new Error(`promotion loop stopped: ${[...chain, policy.targetRepository].join(' → ')}`);
        // Recorded before the copy: the target's own events (and policies) can run before promote() returns.
        chains.set(`${policy.targetRepository}:${promotedTag(policy.tagTemplate, tag)}`, { digest, repositories: [...chain, policy.targetRepository], until: Date.now() + CHAIN_TTL_MS });
        const target = await promote(policy, tag, digest);
        deps.policies.update(policy.id, { lastResult: { at, sourceTag: tag, target, ok: true } });
        deps.bus.publish({ type: 'PROMOTION', repository, tag, digest, actor: policy.createdBy, details: { policyId: policy.id, target } });
        log(`${repository}:${tag} promoted to ${target} by policy ${policy.id}`);
      } catch (err) {
        deps.policies.update(policy.id, { lastResult: { at, sourceTag: tag, target: null, ok: false, error: (err as Error).message } });
        log(`promotion of ${repository}:${tag} by policy ${policy.id} failed: ${(err as Error).message}`);
      }
    }
  }

  return {
    onEvent(e: PublishedEvent): Promise<void> | void {
      if (!e.repository || !e.tag || !e.digest) return;
      if (e.type === 'TAG_PUSH') return evaluate(e.repository, e.tag, e.digest, null, false, null);
      if (e.type === 'SCAN_COMPLETED') return evaluate(e.repository, e.tag, e.digest, (e.details?.summary as ScanSummary | undefined) ?? null, true, (e.details?.components as string[] | undefined) ?? null);
    },
  };
}
