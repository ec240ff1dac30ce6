/**
 * A push must name a valid repository (and tag) under a namespace that
 * exists: DTR does not create users or organizations on push. Checked before
 * the role table so the learner reads the real reason, not "denied".
 * Anonymous pushes are left to the role table (a challenge).
 *
 *   namespaceExists({ exists: (ns) => accounts.namespaceExists(ns) })
 */
import { repositoryPathProblem, tagNameProblem } from '../../policy/names';
import { refuse, type Policy } from '../chain';

export function namespaceExists(deps: { exists: (namespace: string) => boolean }): Policy {
  return {
    name: 'namespace exists',
    decide({ route, identity }) {
      if (route.action !== 'push' || !identity?.principal) return null;
      const repoProblem = repositoryPathProblem(route.repository);
      if (repoProblem) return refuse(400, 'NAME_INVALID', repoProblem);
      const tagProblem = route.kind === 'manifest' && route.reference && !route.reference.includes(':') ? tagNameProblem(route.reference) : null;
      if (tagProblem) return refuse(400, 'TAG_INVALID', tagProblem);
      const namespace = route.repository.split('/')[0];
      if (!deps.exists(namespace)) return refuse(404, 'NAME_UNKNOWN', `no user or organization named ${namespace}: create it first, or push to your own namespace`);
      return null;
    },
  };
}
