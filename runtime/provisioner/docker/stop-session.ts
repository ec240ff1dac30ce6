/**
 * Pausing a docker session: every node of it stops cleanly and stays — its
 * container (the writable layer: home directory, files written, /etc changes),
 * its volume (a DinD node's /var/lib/docker, the registry's data) and its
 * network (hostnames, addresses). A stopped container holds no memory, CPU or
 * pids; it is started again by restoreSession (resume).
 *
 *   await stopSession(docker, { label: ['labdock.session=s1', 'labdock.instance=a1'] });
 *
 * `docker stop` sends SIGTERM to tini, which passes it to the node's init: a
 * DinD node's stops its dockerd (which stops the containers inside, 10 s each
 * at most, in parallel); the registry node's stops the control plane, Notary,
 * Distribution and PostgreSQL (`pg_ctl stop -m fast`). Past the timeout the
 * engine sends SIGKILL, which is what a clean shutdown is there to avoid.
 */
import type Docker from 'dockerode';
import { LABELS } from '../provisioner';

/**
 * Seconds before SIGKILL, for every node (`docker stop` returns as soon as a node exits, so only a
 * hung one waits this long). A DinD node needs its dockerd's own shutdown timeout (15 s by
 * default) plus room to unmount; the registry's PostgreSQL fast shutdown checkpoints in ~1 s.
 */
export const STOP_TIMEOUT_SECONDS = 25;

/** Stops every running container of the session in parallel; returns the nodes it stopped. */
export async function stopSession(docker: Docker, filters: { label: string[] }): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters });
  const stopped: string[] = [];
  await Promise.all(containers.map(async (c) => {
    if (c.State !== 'running' && c.State !== 'restarting') return;
    await docker.getContainer(c.Id).stop({ t: STOP_TIMEOUT_SECONDS }).catch((err: { statusCode?: number }) => {
      // 304: it stopped by itself meanwhile; 404: it is gone (the resume will say so).
      if (err?.statusCode !== 304 && err?.statusCode !== 404) throw err;
    });
    stopped.push(c.Labels[LABELS.node] ?? c.Id);
  }));
  return stopped;
}
