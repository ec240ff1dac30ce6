/**
 * The services the composition root (runtime/server.ts) builds once and hands to
 * Next.js route handlers and server components. Next bundles app/ code
 * separately from runtime/, so the hand-off goes through one well-known global
 * slot, written only by the composition root and read only via getServices().
 */
import type { CompiledLab, LabMeta } from './labs/lab-types';

export interface LabSummary extends LabMeta {
  stepCount: number;
  /** The steps' ids in lab order (the catalog's "continue" names the first one not passed). */
  stepIds: string[];
  /** False when this server cannot run the lab (e.g. it needs Docker and no engine is reachable). */
  available: boolean;
  unavailableReason?: string;
}

export interface LabCatalog {
  list(): Promise<LabSummary[]>;
  get(id: string): Promise<CompiledLab | null>;
}

export type StageState = 'pending' | 'running' | 'done' | 'failed';

export interface SessionView {
  id: string;
  lab: string;
  status: 'starting' | 'ready' | 'paused' | 'failed' | 'ended';
  provisioner: 'docker' | 'local';
  /** Start-up progress: "network", "node node1", "registry"… */
  progress: { stage: string; state: StageState; error?: string }[];
  nodes: { name: string; hostname: string }[];
  registry: { hostname: string; username: string; password: string } | null;
  createdAt: string;
  expiresAt: string;
  /** When the session ends if nobody touches it. */
  idleExpiresAt: string;
  error?: string;
  /** Paused sessions: when it was paused, and when it is deleted unless resumed (sessions.retentionDays). */
  pausedAt?: string;
  deleteAfter?: string;
  /** Variables for `{{name}}` / <Var>: hostnames, registry, lab variables. */
  vars: Record<string, string>;
  steps: { id: string; passed: boolean; message: string; checkedAt: string }[];
  /** The session's disk budget and how much of it its nodes use; absent where sessions have none. */
  disk?: { usedBytes: number; budgetBytes: number; full: boolean };
}

export interface CheckOutcome {
  passed: boolean;
  message: string;
}

export interface EngineStatus {
  docker: boolean;
  local: boolean;
  /** How Docker nodes are isolated from the host: userns, sysbox, or none (development only). */
  isolation?: 'userns' | 'sysbox' | 'none';
  isolationSummary?: string;
  /** Human-readable banner text when something is missing. */
  message?: string;
}

/** Global slot key; see getServices(). */
const SLOT = Symbol.for('labdock.services');

export interface ServicesBase {
  labs: LabCatalog;
  engine: EngineStatus;
}

export function setServices<T extends ServicesBase>(services: T): void {
  (globalThis as Record<symbol, unknown>)[SLOT] = services;
}

export function getServicesSlot<T extends ServicesBase>(): T {
  const services = (globalThis as Record<symbol, unknown>)[SLOT] as T | undefined;
  if (!services) throw new Error('labdock services are not initialised: start the app with `npm start` (runtime/server.ts), not `next start`.');
  return services;
}
