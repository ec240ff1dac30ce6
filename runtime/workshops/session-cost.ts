/**
 * What one session of a lab costs the host, in the terms of the Capacity
 * contract: Docker nodes at their memory limit (the registry node counts as
 * one), sandbox nodes at a small fixed share.
 *
 *   const cost = await sessionCost(labs, config, 'registry-basics');   // { memoryMb: 3072, containers: 3 }
 */
import type { Config } from '../config/config';
import type { LabCatalog } from '../services';
import type { SessionCost } from './pool/capacity';

/** A bubblewrap sandbox is a shell and its children: 64 MB is generous. */
const SANDBOX_MB = 64;

export async function sessionCost(labs: LabCatalog, config: Pick<Config, 'docker'>, labId: string): Promise<SessionCost> {
  const lab = await labs.get(labId);
  if (!lab) throw new Error(`unknown lab: ${labId}`);
  const containers = lab.meta.nodes.length + (lab.meta.registry ? 1 : 0);
  const perNode = lab.meta.engine === 'none' && !lab.meta.registry ? SANDBOX_MB : config.docker.nodeMemoryMb;
  return { memoryMb: containers * perNode, containers };
}
