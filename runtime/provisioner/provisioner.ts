/**
 * Provisioner — the one interface every sandbox back end implements.
 *
 * A session owns an isolated place (a Docker network, or a host directory for
 * the local back end) holding named nodes. Everything a lab does to a node goes
 * through these methods, so the same shared suite (provisioner-suite.ts) runs
 * against every implementation.
 *
 *   const p = createDockerProvisioner({ docker, images });
 *   await p.createSession('s1');
 *   await p.createNode('s1', { name: 'node1', hostname: 'node1', image: 'node' });
 *   const { exitCode, output } = await p.exec('s1', 'node1', 'hostname');
 *   const term = await p.openTerminal('s1', 'node1', { cols: 80, rows: 24 });
 *   await p.destroySession('s1');
 */

/** What a lab asks for one node. `image` is a logical name ("node"), resolved by the provisioner. */
export interface NodeSpec {
  name: string;
  hostname: string;
  image: string;
  /** Extra environment for every process in the node (terminals, exec). */
  env?: Record<string, string>;
  /**
   * A service node (the bundled registry): runs its image's own entrypoint,
   * without Docker-in-Docker privileges, and is ready once `readyCommand`
   * exits 0 inside it. `volumePath` keeps its state on a session volume.
   */
  service?: { readyCommand: string[]; volumePath?: string };
}

export interface NodeInfo {
  name: string;
  hostname: string;
  /** Back-end identifier: container id, or the sandbox's init pid. */
  ref: string;
}

export interface ExecOptions {
  /** Kill the command and reject with ExecTimeoutError after this long. Default 30 s. */
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Fed to the command's standard input, then closed. */
  stdin?: string;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved as the command wrote them. */
  output: string;
}

/** A live interactive shell in a node. Bytes in, bytes out, with back-pressure. */
export interface Terminal {
  write(data: string | Uint8Array): void;
  onData(listener: (chunk: Uint8Array) => void): Disposable;
  onExit(listener: (code: number | null) => void): Disposable;
  resize(cols: number, rows: number): Promise<void>;
  /** Stop reading from the shell (flow control); the shell blocks once its buffers fill. */
  pause(): void;
  resume(): void;
  close(): void;
}

export interface Disposable {
  dispose(): void;
}

export interface Provisioner {
  /** "docker" or "local": stored with the session so a restarted server picks the right one. */
  readonly kind: ProvisionerKind;
  createSession(sessionId: string): Promise<void>;
  createNode(sessionId: string, spec: NodeSpec): Promise<NodeInfo>;
  exec(sessionId: string, node: string, command: string, options?: ExecOptions): Promise<ExecResult>;
  openTerminal(sessionId: string, node: string, size: { cols: number; rows: number }): Promise<Terminal>;
  /** Removes every node, network, volume and directory of the session. Idempotent. */
  destroySession(sessionId: string): Promise<void>;
  /** Session ids that have live resources (labels / directories), for re-adoption and orphan sweeps. */
  listSessions(): Promise<string[]>;
  /** Is this node's sandbox still running? */
  isNodeAlive(sessionId: string, node: string): Promise<boolean>;
  /**
   * After a restart of the server, the engine or the host: gives the session's
   * existing nodes back what lives outside them (their cgroups are gone after a
   * reboot) and starts the ones that are stopped. Returns the nodes it started.
   */
  restoreSession?(sessionId: string): Promise<string[]>;
  /**
   * Pause: every node stops cleanly (SIGTERM, its services shut down) and stays, with its
   * files, volumes and network; nothing runs. `resumeSession` starts them again, the same
   * nodes (hostnames, files, images inside). Back ends without them cannot pause.
   */
  pauseSession?(sessionId: string): Promise<void>;
  /** Starts a paused session's nodes again; returns the nodes it started. */
  resumeSession?(sessionId: string): Promise<string[]>;
  /**
   * Replaces a node that was lost (its sandbox gone or stopped): what is left of it
   * is removed, state kept on volumes stays, and the node is created again.
   * Back ends without it cannot recover nodes; their sessions fail instead.
   */
  recreateNode?(sessionId: string, spec: NodeSpec): Promise<NodeInfo>;
  /**
   * Where a running node listens on its session network, seen from this server, and the
   * environment it was created with (the registry console reads the session CA from it).
   * Only back ends whose nodes have their own address implement it; throws NodeNotFoundError.
   */
  nodeEndpoint?(sessionId: string, node: string): Promise<NodeEndpoint>;
  /**
   * How much of the session's disk budget its nodes use; `full` once writes fail with ENOSPC.
   * null: the session has no budgeted disk. Back ends without budgets do not implement it.
   */
  diskUsage?(sessionId: string): Promise<DiskBudgetUsage | null>;
}

export interface DiskBudgetUsage {
  usedBytes: number;
  budgetBytes: number;
  full: boolean;
}

export interface NodeEndpoint {
  /** IP address on the session's network. */
  address: string;
  env: Record<string, string>;
}

export type ProvisionerKind = 'docker' | 'local';

export class ExecTimeoutError extends Error {
  /** `output`: what the command wrote before it was killed (bounded like any exec output). */
  constructor(readonly command: string, readonly timeoutMs: number, readonly output = '') {
    super(`command timed out after ${timeoutMs} ms: ${command}`);
    this.name = 'ExecTimeoutError';
  }
}

export class NodeNotFoundError extends Error {
  constructor(readonly sessionId: string, readonly node: string) {
    super(`node ${node} not found in session ${sessionId}`);
    this.name = 'NodeNotFoundError';
  }
}

/** Labels every Docker resource labdock creates carries (architecture.md). */
export const LABELS = {
  session: 'labdock.session',
  node: 'labdock.node',
  managed: 'labdock.managed',
  /** Which labdock server (data directory) owns it: a server sweeps only its own orphans. */
  instance: 'labdock.instance',
} as const;
