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
 *   const promoter = createPromoter({ policies, tags, gate, distribution, bus, notifications });
 *   bus.subscribe(promoter.onEvent);
 */
import type { DistributionClient } from '../distribution/distribution-client';
import type { PolicyStore, PromotionPolicy } from './policy-store';
import { needsScan, promotedTag, rulesHold } from './promotion-rules';
import type { ScanSummary } from '../scanning/service/scan-store';
import type { TagWriter } from '../tags/write-tag';
import type { WriteGate } from '../gc/write-gate';
import type { EventBus, PublishedEvent } from '../events/event-bus';
import type { NotificationReceiver } from '../events/distribution-notifications';

export interface PromoterDeps {
  policies: PolicyStore;
  /** The one write path for tags, shared with pushes. */
  tags: TagWriter;
  gate: WriteGate;
  distribution: DistributionClient;
  bus: EventBus;
  notifications: NotificationReceiver;
  log?: (message: string) => void;
}

export function createPromoter(deps: PromoterDeps) {
  const log = deps.log ?? ((m: string) => console.log(`[promotion] ${m}`));

  /** Writes the image into the target through the one tag write path (its lock, immutability, tag limit). */
  async function promote(policy: PromotionPolicy, sourceTag: string, digest: string): Promise<string> {
    const target = policy.targetRepository;
    const tag = promotedTag(policy.tagTemplate, sourceTag);
    // Garbage collection must not run between the blob copies and the manifest that references them.
    if (!deps.gate.enter()) throw new Error('the registry is read-only while garbage collection runs');
    try {
      await deps.tags.write(target, tag, policy.createdBy, async () => {
        const manifest = await deps.distribution.manifest(policy.sourceRepository, digest);
        const parsed = JSON.parse(manifest.body.toString('utf8')) as { config?: { digest: string }; layers?: { digest: string }[] };
        if (!parsed.config) throw new Error('only image manifests are promoted (not manifest lists)');
        for (const d of [parsed.config.digest, ...(parsed.layers ?? []).map((l) => l.digest)]) await deps.distribution.copyBlob(policy.sourceRepository, target, d);
        deps.notifications.rememberActor('push', target, digest, policy.createdBy);
        await deps.distribution.putManifest(target, tag, manifest.contentType, manifest.body);
        return true;
      }, { digest });
    } finally {
      deps.gate.leave();
    }
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
    promote,
    onEvent(e: PublishedEvent): Promise<void> | void {
      if (e.type === 'TAG_PUSH') return evaluate(e.repository, e.tag, e.digest, null, false, null);
      if (e.type === 'SCAN_COMPLETED') return evaluate(e.repository, e.tag, e.digest, e.details.summary, true, e.details.components);
    },
  };
}
