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
 * push on the target (a policy pushes there on its author's behalf).
 */
import { z } from 'zod';
import type { Accounts } from './accounts';
import { ApiError, parse, pathParts, type ApiHandler } from './api-common';
import type { RouteDoc } from './openapi';
import type { PolicyStore, PromotionPolicy } from '../promotion/policy-store';
import { needsScan, promotedTag, ruleSchema } from '../promotion/promotion-rules';
import type { ScanService } from '../scanning/service/scan-service';
import { repositoryPathProblem } from '../policy/names';
import { allowedActions, type Principal } from '../policy/roles';

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

export function createPromotionApi(deps: { accounts: Accounts; policies: PolicyStore; scans: ScanService }): ApiHandler {
  const actions = (p: Principal, repository: string) => allowedActions(p, deps.accounts.grants(repository, p));

  function checkTarget(p: Principal, source: string, target: string) {
    const problem = repositoryPathProblem(target);
    if (problem) throw new ApiError(400, 'INVALID_NAME', `targetRepository: ${problem}`);
    if (target === source) throw new ApiError(400, 'INVALID_POLICY', 'a policy cannot promote into its own repository');
    if (!deps.accounts.repository(target) || !actions(p, target).has('view')) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${target}: create it first`);
    if (!actions(p, target).has('push')) throw new ApiError(403, 'NOT_AUTHORIZED', `${p.name} may not push to ${target}`);
  }

  /** What the author should know: vulnerability rules need scans of the source. */
  function warnings(policy: PromotionPolicy): string[] {
    if (!needsScan(policy.rules)) return [];
    const out: string[] = [];
    if (!deps.scans.settings().enabled) out.push('scanning is off: vulnerability rules hold only for scanned tags');
    if (!deps.accounts.repository(policy.sourceRepository)?.scanOnPush) out.push(`${policy.sourceRepository} does not scan on push: tags are evaluated when a scan of them completes`);
    return out;
  }
  const view = (p: PromotionPolicy) => ({ ...p, warnings: warnings(p) });

  return async function handle(method, pathname, principal, body) {
    const parts = pathParts(pathname);
    if (parts[0] !== 'repositories' || parts[3] !== 'promotionPolicies' || parts.length > 5) return null;
    const source = `${parts[1]}/${parts[2]}`;
    const problem = repositoryPathProblem(source);
    if (problem) throw new ApiError(400, 'INVALID_NAME', problem);
    const allowed = actions(principal, source);
    if (!deps.accounts.repository(source) || !allowed.has('view')) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${source}`);
    // Only admins of the source namespace: the registry's admins, the user whose namespace it is, the organization's owners.
    const requireManage = () => {
      const namespace = parts[1];
      const owner = principal.globalRole === 'admin' || principal.name === namespace || deps.accounts.read().orgs.some((o) => o.name === namespace && o.owners.includes(principal.name));
      if (!owner) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} does not administer ${namespace}: only its admins manage promotion policies`);
    };

    if (parts.length === 4) {
      if (method === 'GET') return { status: 200, body: { policies: deps.policies.forRepository(source).map(view) } };
      if (method === 'POST') {
        requireManage();
        const spec = parse(policyBody, body);
        checkTarget(principal, source, spec.targetRepository);
        return { status: 201, body: view(deps.policies.create({ ...spec, sourceRepository: source }, principal.name)) };
      }
      return null;
    }
    const policy = deps.policies.get(parts[4]);
    if (!policy || policy.sourceRepository !== source) throw new ApiError(404, 'NO_SUCH_POLICY', `${source} has no promotion policy ${parts[4]}`);
    if (method === 'GET') return { status: 200, body: view(policy) };
    requireManage();
    // PUT replaces the policy (DTR's verb); PATCH changes some fields.
    if (method === 'PUT' || method === 'PATCH') {
      const patch = method === 'PUT' ? parse(policyBody, body) : parse(policyPatch, body);
      if (patch.targetRepository) checkTarget(principal, source, patch.targetRepository);
      return { status: 200, body: view(deps.policies.update(policy.id, patch)!) };
    }
    if (method === 'DELETE') {
      deps.policies.remove(policy.id);
      return { status: 204, body: null };
    }
    return null;
  };
}

export const PROMOTION_ROUTES: RouteDoc[] = [
  { method: 'GET', path: '/repositories/{namespace}/{repo}/promotionPolicies', tag: 'promotion', summary: "The repository's promotion policies, with their last result and warnings", access: 'view' },
  { method: 'POST', path: '/repositories/{namespace}/{repo}/promotionPolicies', tag: 'promotion', summary: 'Promote tags whose rules all hold (tag name; vulnerability counts from their scan) into targetRepository as tagTemplate (%n: the source tag)', body: policyBody, access: 'namespace admins, and push on the target' },
  { method: 'GET', path: '/repositories/{namespace}/{repo}/promotionPolicies/{id}', tag: 'promotion', summary: 'One policy', access: 'view' },
  { method: 'PUT', path: '/repositories/{namespace}/{repo}/promotionPolicies/{id}', tag: 'promotion', summary: 'Replace a policy', body: policyBody, access: 'namespace admins, and push on the target' },
  { method: 'PATCH', path: '/repositories/{namespace}/{repo}/promotionPolicies/{id}', tag: 'promotion', summary: 'Change or disable a policy', body: policyPatch, access: 'namespace admins, and push on a new target' },
  { method: 'DELETE', path: '/repositories/{namespace}/{repo}/promotionPolicies/{id}', tag: 'promotion', summary: 'Delete a policy', access: 'namespace admins' },
];
