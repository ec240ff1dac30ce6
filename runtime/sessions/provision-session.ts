/**
 * Bringing a session up: its network, its nodes (in parallel), its setup
 * scripts — each a stage whose state the browser shows while it waits. On any
 * failure the stage says what failed and everything created is removed.
 *
 *   const progress = sessionStages(lab);
 *   await provisionSession({ store, provisioner, log, setupTimeoutMs }, id, lab, vars, progress);
 */
import type { CompiledLab } from '../labs/lab-types';
import type { Provisioner } from '../provisioner/provisioner';
import { runScripts } from '../checker/run-scripts';
import { PLATFORM_USER, prepareRegistryNode, registryNodeEnv } from '../registry-host/start-registry';
import type { SessionStore, Stage } from './session-store';

export interface ProvisionDeps {
  store: SessionStore;
  provisioner: Provisioner;
  log(message: string): void;
  setupTimeoutMs: number;
}

export function sessionStages(lab: CompiledLab): Stage[] {
  return [
    { stage: 'network', state: 'pending' },
    // The registry and the nodes start together: the CA the nodes trust is made before either.
    ...(lab.meta.registry ? [{ stage: 'registry', state: 'pending' as const }] : []),
    ...lab.meta.nodes.map((n) => ({ stage: `node ${n.name}`, state: 'pending' as const })),
    ...(lab.steps.some((s) => s.setups.length) ? [{ stage: 'setup', state: 'pending' as const }] : []),
  ];
}

/** Never throws: the outcome is the session's status (ready or failed) in the store. */
export async function provisionSession(deps: ProvisionDeps, id: string, lab: CompiledLab, vars: Record<string, string>, progress: Stage[], platformSecret: string | null = null): Promise<void> {
  const { store, provisioner, log } = deps;
  const mark = async (stage: string, state: Stage['state'], error?: string) => {
    const s = progress.find((p) => p.stage === stage);
    if (s) Object.assign(s, { state }, error ? { error } : {});
    await store.setProgress(id, progress);
  };
  let current = 'network';
  // The registry's PKI is made while the network is: nothing of it needs the network.
  const registryPrep = lab.meta.registry
    ? prepareRegistryNode({ username: vars['registry.username'], password: vars['registry.password'] }, platformSecret ? { username: PLATFORM_USER, password: platformSecret } : undefined)
    : null;
  // Awaited below; if the network fails first, its failure is the one reported.
  registryPrep?.catch(() => undefined);
  try {
    await mark('network', 'running');
    await provisioner.createSession(id);
    await mark('network', 'done');
    let nodeEnv: Record<string, string> = {};
    let registry: Promise<void> = Promise.resolve();
    if (registryPrep) {
      current = 'registry';
      const { caCert, spec } = await registryPrep;
      nodeEnv = registryNodeEnv(caCert);
      await mark('registry', 'running');
      // Not awaited here: a node's dockerd needs the CA at start, not the registry.
      registry = spec.then((s) => provisioner.createNode(id, s)).then(() => mark('registry', 'done'), (err: Error) => {
        current = 'registry';
        throw err;
      });
    }
    // Nodes start in parallel (with the registry): a session is ready in the time of its slowest node.
    current = 'nodes';
    const [, nodes] = await Promise.all([registry, Promise.all(lab.meta.nodes.map(async (n) => {
      const stage = `node ${n.name}`;
      await mark(stage, 'running');
      try {
        // A node the lab wants the learner to configure gets no registry CA (it resolves the registry's name all the same).
        const env = n.trustRegistry === false ? {} : nodeEnv;
        const info = await provisioner.createNode(id, { name: n.name, hostname: n.name, image: n.image, env });
        await mark(stage, 'done');
        return info;
      } catch (err) {
        current = stage;
        throw err;
      }
    }))]);
    await store.setNodes(id, nodes);
    const setups = lab.steps.flatMap((s) => s.setups);
    if (setups.length) {
      current = 'setup';
      await mark(current, 'running');
      const outcome = await runScripts(provisioner, id, setups, { vars, timeoutMs: deps.setupTimeoutMs });
      if (!outcome.passed) throw new Error(`setup script failed: ${outcome.message}`);
      await mark(current, 'done');
    }
    await store.setStatus(id, 'ready');
  } catch (err) {
    const message = `${current}: ${(err as Error).message}`;
    log(`session ${id} failed to start: ${message}`);
    await mark(current, 'failed', (err as Error).message).catch(() => undefined);
    await store.setStatus(id, 'failed', message).catch(() => undefined);
    await provisioner.destroySession(id).catch((e) => log(`cleanup of ${id} failed: ${(e as Error).message}`));
  }
}
