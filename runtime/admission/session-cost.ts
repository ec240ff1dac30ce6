/**
 * What one session of a lab costs the host: every node (and the bundled
 * registry node) counted at its memory limit, one container each. Local
 * (bubblewrap) nodes have no limit of their own and no container: they count
 * as admission.localNodeMemoryMb each.
 *
 *   sessionCost(lab.meta, 'docker', config)  // { memoryMb: 3072, containers: 3 } for 2 nodes + registry
 */
import type { Config } from '../config/config';
import type { SessionCost } from './capacity';

export function sessionCost(meta: { nodes: readonly unknown[]; registry: boolean }, provisioner: 'docker' | 'local', config: Pick<Config, 'docker' | 'admission'>): SessionCost {
  const count = meta.nodes.length + (meta.registry ? 1 : 0);
  if (provisioner === 'local') return { memoryMb: count * config.admission.localNodeMemoryMb, containers: 0 };
  return { memoryMb: count * config.docker.nodeMemoryMb, containers: count };
}
