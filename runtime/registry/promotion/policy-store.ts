/**
 * Promotion policies, per source repository, in a JSON file on the registry
 * node's volume (written atomically), with each policy's last outcome.
 *
 *   const policies = openPolicyStore('/var/lib/labdock-registry/promotion-policies.json');
 *   policies.create({ sourceRepository: 'admin/alpine-dev', rules, targetRepository: 'admin/alpine-prod', tagTemplate: '%n', enabled: true }, 'admin');
 */
import { randomUUID } from 'node:crypto';
import type { Rule } from './promotion-rules';
import { openJsonStore } from '../storage/json-file';

export interface PromotionPolicy {
  id: string;
  sourceRepository: string;
  enabled: boolean;
  rules: Rule[];
  targetRepository: string;
  tagTemplate: string;
  createdBy: string;
  createdAt: string;
  lastResult: { at: string; sourceTag: string; target: string | null; ok: boolean; error?: string } | null;
}

export type PolicySpec = Pick<PromotionPolicy, 'sourceRepository' | 'enabled' | 'rules' | 'targetRepository' | 'tagTemplate'>;

export function openPolicyStore(file: string) {
  const store = openJsonStore<PromotionPolicy[]>(file, () => []);
  const read = (): readonly PromotionPolicy[] => store.read();
  const change = (id: string, patch: Partial<PromotionPolicy>): PromotionPolicy | undefined => {
    if (!read().some((x) => x.id === id)) return undefined;
    return store.update((all) => Object.assign(all.find((x) => x.id === id)!, patch));
  };
  return {
    forRepository: (repository: string) => read().filter((p) => p.sourceRepository === repository),
    get: (id: string) => read().find((p) => p.id === id),
    create(spec: PolicySpec, createdBy: string): PromotionPolicy {
      const policy: PromotionPolicy = { id: randomUUID(), ...spec, createdBy, createdAt: new Date().toISOString(), lastResult: null };
      store.update((all) => void all.push(policy));
      return policy;
    },
    update: change,
    remove(id: string): boolean {
      if (!read().some((p) => p.id === id)) return false;
      store.update((all) => void all.splice(all.findIndex((p) => p.id === id), 1));
      return true;
    },
  };
}

export type PolicyStore = ReturnType<typeof openPolicyStore>;
