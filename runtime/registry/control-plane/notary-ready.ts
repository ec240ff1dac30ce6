/**
 * Waiting for notary-server without making the whole registry wait for it.
 *
 * The registry node answers `/_ping` (and serves images) as soon as the
 * control plane and Distribution run; Notary — PostgreSQL, the signer, the
 * server — comes up beside them, about 1.5 s later. A trust request that
 * arrives in between waits here for notary-server's health check instead of
 * failing with "connection refused", which `docker push` with content trust
 * would show the learner as a broken registry.
 *
 *   const notary = gateNotary({ host: '127.0.0.1', port: 4443 });
 *   await notary.ready();      // resolves once notary-server answers; rejects after the start timeout
 */
import http from 'node:http';
import type { NotaryAddress } from './trust-route';

export class NotaryStartingError extends Error {
  constructor(waitedMs: number) {
    super(`the trust server did not start in ${Math.round(waitedMs / 1000)} s (see the registry's notary-server and notary-signer logs)`);
  }
}

const HEALTH_PATH = '/_notary_server/health';

/**
 * `startTimeoutMs` bounds how long one request waits (a first start on a busy host takes a few seconds;
 * the entrypoint stops the node if Notary cannot start at all). After a timeout the next request waits afresh.
 */
export function gateNotary(address: NotaryAddress, options: { startTimeoutMs?: number; intervalMs?: number } = {}): NotaryAddress & { ready(): Promise<void> } {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  let up = false;
  let waiting: Promise<void> | null = null;

  async function waitUntilUp(): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < startTimeoutMs) {
      if (await answersHealth(address, Math.min(2000, startTimeoutMs))) {
        up = true;
        return;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new NotaryStartingError(Date.now() - started);
  }

  return {
    ...address,
    // Resolves once notary-server has answered its health check; the first success is remembered.
    ready() {
      if (up) return Promise.resolve();
      // One probe loop however many requests wait; a failed wait is forgotten so the next request tries again.
      waiting ??= waitUntilUp().finally(() => { waiting = null; });
      return waiting;
    },
  };
}

function answersHealth(address: NotaryAddress, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: address.host, port: address.port, path: HEALTH_PATH, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
