/**
 * Bringing back one lost node of a live session (after a restart found it
 * gone): created again from the lab's spec — with the session registry's CA
 * read back from the registry node, as when the session started — and the
 * session's progress gains a line that says so. The node's volume (its
 * images) survives; files in its home do not, and the line tells the learner.
 *
 *   const why = await recoverNode({ store, provisioner, labs }, row, 'node1');  // null: recreated
 */
import type { LabCatalog } from '../services';
import type { Provisioner } from '../provisioner/provisioner';
import { REGISTRY_CA_ENV, REGISTRY_NODE, registryNodeEnv } from '../registry-host/start-registry';
import type { SessionStore, Stage } from './session-store';

export interface RecoverDeps {
  store: SessionStore;
  provisioner: Provisioner;
  labs: LabCatalog;
}

/** Returns null once the node runs again, or why it cannot be recreated. */
export async function recoverNode(deps: RecoverDeps, sessionId: string, name: string): Promise<string | null> {
  const { store, provisioner } = deps;
  if (!provisioner.recreateNode) return `node ${name} was lost while the server was down (this engine cannot recreate nodes)`;
  // The registry holds the session's PKI and accounts in its environment: it cannot be made again as it was.
  if (name === REGISTRY_NODE) return `the session registry was lost while the server was down`;
  const row = await store.find(sessionId);
  const lab = row && (await deps.labs.get(row.labId));
  const spec = lab?.meta.nodes.find((n) => n.name === name);
  if (!row || !lab || !spec) return `node ${name} was lost and its lab no longer describes it`;
  let env: Record<string, string> = {};
  if (lab.meta.registry && spec.trustRegistry !== false && provisioner.nodeEndpoint) {
    const caCert = (await provisioner.nodeEndpoint(sessionId, REGISTRY_NODE)).env[REGISTRY_CA_ENV];
    if (caCert) env = registryNodeEnv(caCert);
  }
  const info = await provisioner.recreateNode(sessionId, { name: spec.name, hostname: spec.name, image: spec.image, env });
  await store.setNodes(sessionId, row.nodes.map((n) => (n.name === name ? info : { name: n.name, hostname: n.hostname, ref: n.ref })));
  const progress = JSON.parse(row.progress) as Stage[];
  progress.push({ stage: `node ${name} recreated: it was gone after a restart (files in its home are lost, its images are kept)`, state: 'done' });
  await store.setProgress(sessionId, progress);
  return null;
}
