/**
 * Promotion policies, per source repository, in a JSON file on the registry
 * node's volume (written atomically), with each policy's last outcome.
 *
 *   const policies = openPolicyStore('/var/lib/labdock-registry/promotion-policies.json');
 *   policies.create({ sourceRepository: 'admin/alpine-dev', rules, targetRepository: 'admin/alpine-prod', tagTemplate: '%n', enabled: true }, 'admin');
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Rule } from './promotion-rules';
import { writeJsonAtomic } from '../storage/json-file';

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
  const read = (): PromotionPolicy[] => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PromotionPolicy[]) : []);
  const write = (all: PromotionPolicy[]) => writeJsonAtomic(file, all);
  const change = (id: string, patch: Partial<PromotionPolicy>): PromotionPolicy | undefined => {
    const all = read();
    const p = all.find((x) => x.id === id);
    if (!p) return undefined;
    Object.assign(p, patch);
    write(all);
    return p;
  };
  return {
    forRepository: (repository: string) => read().filter((p) => p.sourceRepository === repository),
    get: (id: string) => read().find((p) => p.id === id),
    create(spec: PolicySpec, createdBy: string): PromotionPolicy {
      const policy: PromotionPolicy = { id: randomUUID(), ...spec, createdBy, createdAt: new Date().toISOString(), lastResult: null };
      write([...read(), policy]);
      return policy;
    },
    update: change,
    remove(id: string): boolean {
      const all = read();
      if (!all.some((p) => p.id === id)) return false;
      write(all.filter((p) => p.id !== id));
      return true;
    },
  };
}

export type PolicyStore = ReturnType<typeof openPolicyStore>;
