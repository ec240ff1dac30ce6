/**
 * What /api/v0's authorize() (api/permissions.ts) asks of the registry's
 * state, answered from the accounts, Distribution's storage and the webhooks.
 *
 *   const facts = accessFacts({ accounts, storage, webhooks });
 */
import type { AccessFacts } from '../api/permissions';
import type { Accounts } from './accounts';
import type { RegistryStorage } from '../storage/registry-storage';
import type { Webhooks } from '../events/webhooks';

export function accessFacts(deps: { accounts: Accounts; storage: Pick<RegistryStorage, 'listTags'>; webhooks: Pick<Webhooks, 'get'> }): AccessFacts {
  const { accounts } = deps;
  return {
    grants: (repository, principal) => accounts.grants(repository, principal),
    repositoryRecorded: (repository) => !!accounts.repository(repository),
    repositoryPushed: (repository) => deps.storage.listTags(repository).length > 0,
    organization(name) {
      const org = accounts.organization(name);
      return org && { owners: org.owners, teamMembers: accounts.teamsOf(name).flatMap((t) => t.members) };
    },
    accountExists: (name) => accounts.namespaceExists(name),
    webhookKey: (id) => deps.webhooks.get(id)?.key,
  };
}
