/**
 * Finds what this host can run nodes on: a reachable Docker engine (docker
 * provisioner) and bubblewrap (local provisioner). Missing pieces are reported
 * with what to do, never thrown: labdock still serves the labs it can run.
 */
import { existsSync } from 'node:fs';
import Docker from 'dockerode';
import type { Config } from '../config/config';

export interface Engines {
  docker: Docker | null;
  dockerProblem?: string;
  local: boolean;
}

export async function detectEngines(config: Pick<Config, 'docker'>, log: (m: string) => void): Promise<Engines> {
  const docker = config.docker.socketPath ? new Docker({ socketPath: config.docker.socketPath }) : new Docker();
  let dockerOk: Docker | null = null;
  let dockerProblem: string | undefined;
  try {
    await docker.ping();
    dockerOk = docker;
  } catch (err) {
    dockerProblem = `No Docker engine is reachable (${(err as Error).message}). Labs that need Docker are unavailable: start dockerd, or on Debian run npm start as root to install docker.io.`;
    log(`[engine] ${dockerProblem}`);
  }
  const local = existsSync('/usr/bin/bwrap') && existsSync('/usr/bin/nsenter');
  if (!local) log('[engine] bubblewrap is not installed (apt-get install bubblewrap): labs without a container engine will use Docker nodes.');
  return { docker: dockerOk, ...(dockerProblem ? { dockerProblem } : {}), local };
}
