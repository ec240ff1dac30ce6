/**
 * A control plane composed in this process with no Distribution behind it
 * (its address is a closed loopback port): enough for everything that never
 * reaches storage — the /api/v0 accounts and repositories, authentication,
 * the token endpoint, refusals made before the proxy. For tests that need no
 * Docker engine.
 *
 *   const reg = await startOfflineRegistry();
 *   await reg.api('GET', 'accounts');
 *   await reg.stop();
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { composeRegistry } from './compose-registry';
import { BUNDLED_VULNDB } from '../../images/registry-bundle';

export async function startOfflineRegistry() {
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-cp-offline-'));
  // Port 9 (discard) on loopback: nothing listens, so a connection is refused at once.
  const registry = composeRegistry({
    state: dir, storageRoot: path.join(dir, 'distribution'), distribution: { host: '127.0.0.1', port: 9 },
    collect: async () => 'no storage', eventsToken: 'offline', host: 'dtr.labdock', vulnDbBundled: BUNDLED_VULNDB, print: () => undefined,
  });
  // Cost 4: these hashes only need to be bcrypt, not slow.
  registry.accounts.ensureAdmin('admin', await bcrypt.hash('admin-password', 4));
  const server = http.createServer((req, res) => void registry.handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const auth = (user: string, password = `${user}-password`) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const api = (method: string, p: string, body?: unknown, user = 'admin') =>
    fetch(`${base}/api/v0/${p}`, { method, headers: { ...auth(user), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return {
    ...registry, base, dir, auth, api,
    async stop() {
      registry.stop();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
