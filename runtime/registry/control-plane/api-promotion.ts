/**
 * Promotion policies in the DTR-style API, on the source repository:
 *
 *   GET    /api/v0/repositories/:ns/:repo/promotionPolicies         (view)
 *   POST   /api/v0/repositories/:ns/:repo/promotionPolicies         {rules, targetRepository, tagTemplate?, enabled?}
 *   GET|PUT|PATCH|DELETE /api/v0/repositories/:ns/:repo/promotionPolicies/:id
 *
 * Rules: fields tag, component_name (from the scan), vulnerability_all,
 * vulnerability_critical, _major, _minor; operators equals, not equals,
 * starts with, ends with, contains, one of, not one of, matches, less than…
 * (or =, !=, <, <=, >, >=); every rule must hold.
 *
 * Creating or changing a policy needs admin of the source's namespace and
 * push on the target (a policy pushes there on its author's behalf): declared
 * on each route (api/permissions.ts).
 */
import { z } from 'zod';
import type { Accounts } from './accounts';
import { ApiError } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { namespaceAdmin, repository } from '../api/permissions';
import type { PolicyStore, PromotionPolicy } from '../promotion/policy-store';
import { needsScan, promotedTag, ruleSchema } from '../promotion/promotion-rules';
import type { ScanService } from '../scanning/service/scan-service';

const tagTemplate = z.string().min(1).max(128).refine((t) => {
  try {
    promotedTag(t, 'x');
    return true;
  } catch {
    return false;
  }
}, 'the tag template must make a valid tag (%n is the source tag)');
export const policyBody = z.object({
  rules: z.array(ruleSchema).min(1).max(20),
  targetRepository: z.string(),
  tagTemplate: tagTemplate.default('%n'),
  enabled: z.boolean().default(true),
}).strict();
export const policyPatch = z.object({ rules: z.array(ruleSchema).min(1).max(20), targetRepository: z.string(), tagTemplate, enabled: z.boolean() }).partial().strict();

export function promotionRoutes(deps: { accounts: Accounts; policies: PolicyStore; scans: ScanService }): ApiRoute[] {
  /** What the author should know: vulnerability rules need scans of the source. */
  function warnings(policy: PromotionPolicy): string[] {
    if (!needsScan(policy.rules)) return [];
    const out: string[] = [];
    if (!deps.scans.settings().enabled) out.push('scanning is off: vulnerability rules hold only for scanned tags');
    if (!deps.accounts.repository(policy.sourceRepository)?.scanOnPush) out.push(`${policy.sourceRepository} does not scan on push: tags are evaluated when a scan of them completes`);
    return out;
  }
  const view = (p: PromotionPolicy) => ({ ...p, warnings: warnings(p) });
  const sourceOf = (p: Record<string, string>) => `${p.namespace}/${p.repo}`;
  const policyOf = (p: Record<string, string>) => {
    const policy = deps.policies.get(p.id);
    if (!policy || policy.sourceRepository !== sourceOf(p)) throw new ApiError(404, 'NO_SUCH_POLICY', `${sourceOf(p)} has no promotion policy ${p.id}`);
    return policy;
  };
  const notItself = (source: string, target: string | undefined) => {
    if (target === source) throw new ApiError(400, 'INVALID_POLICY', 'a policy cannot promote into its own repository');
  };
  const tag = 'promotion';
  const base = '/repositories/{namespace}/{repo}/promotionPolicies';
  const see = repository('view', 'recorded');
  // Only admins of the source namespace manage its policies; a policy pushes to its target on its author's behalf.
  const manage = [see, namespaceAdmin(), repository('push', 'recorded', 'targetRepository')];
  return [
    route({
      method: 'GET', path: base, tag, summary: "The repository's promotion policies, with their last result and warnings", permission: [see],
      handler: ({ params }) => ({ status: 200, body: { policies: deps.policies.forRepository(sourceOf(params)).map(view) } }),
    }),
    route({
      method: 'POST', path: base, tag, permission: manage, body: policyBody,
      summary: 'Promote tags whose rules all hold (tag name; vulnerability counts from their scan) into targetRepository as tagTemplate (%n: the source tag)',
      handler: ({ principal, params, body }) => {
        notItself(sourceOf(params), body.targetRepository);
        return { status: 201, body: view(deps.policies.create({ ...body, sourceRepository: sourceOf(params) }, principal.name)) };
      },
    }),
    route({ method: 'GET', path: `${base}/{id}`, tag, summary: 'One policy', permission: [see], handler: ({ params }) => ({ status: 200, body: view(policyOf(params)) }) }),
    ...(['PUT', 'PATCH'] as const).map((method) => route({
      method, path: `${base}/{id}`, tag, permission: manage, body: method === 'PUT' ? policyBody : policyPatch,
      summary: method === 'PUT' ? 'Replace a policy' : 'Change or disable a policy',
      // PUT replaces the policy (DTR's verb); PATCH changes some fields.
      handler: ({ params, body }) => {
        const policy = policyOf(params);
        notItself(sourceOf(params), body.targetRepository);
        return { status: 200, body: view(deps.policies.update(policy.id, body)!) };
      },
    })),
    route({
      method: 'DELETE', path: `${base}/{id}`, tag, summary: 'Delete a policy', permission: [see, namespaceAdmin()],
      handler: ({ params }) => {
        deps.policies.remove(policyOf(params).id);
        return { status: 204, body: null };
      },
    }),
  ];
}
