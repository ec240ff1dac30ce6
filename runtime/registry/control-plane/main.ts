/**
 * Entry point of the control plane inside the registry node (bundled for the
 * node's Node.js by runtime/images). Configuration comes from the environment
 * the entrypoint sets:
 *   LABDOCK_TLS_CERT_FILE, LABDOCK_TLS_KEY_FILE  serve HTTPS on :443
 *   LABDOCK_ADMIN                                "name:bcrypt-hash" of the session admin
 *   LABDOCK_STATE                                state directory (accounts.json, token-key.pem, gc.json,
 *                                                and distribution/, Distribution's storage root)
 *   LABDOCK_REGISTRY_HOST                        the registry's hostname: token service and audience
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openAccounts } from './accounts';
import { createControlPlane } from './control-plane';
import { loadOrCreateSigningKey } from '../auth/jwt';
import { createTokenService } from '../auth/token-service';
import { openRegistryStorage } from '../storage/registry-storage';
import { createWriteGate } from '../gc/write-gate';
import { createGarbageCollector, distributionCollector } from '../gc/garbage-collector';

const state = process.env.LABDOCK_STATE ?? '/var/lib/labdock-registry';
const accounts = openAccounts(path.join(state, 'accounts.json'));
const admin = process.env.LABDOCK_ADMIN ?? '';
const colon = admin.indexOf(':');
if (colon > 0) accounts.ensureAdmin(admin.slice(0, colon), admin.slice(colon + 1));
const tokens = createTokenService({ key: loadOrCreateSigningKey(path.join(state, 'token-key.pem')), service: process.env.LABDOCK_REGISTRY_HOST ?? 'dtr.labdock' });
const storage = openRegistryStorage(path.join(state, 'distribution'));
const gate = createWriteGate();
const gc = createGarbageCollector({ storage, gate, settingsFile: path.join(state, 'gc.json'), collect: distributionCollector('/etc/labdock/distribution.yml') });
const handler = createControlPlane({ accounts, tokens, storage, gate, gc, distribution: { host: '127.0.0.1', port: 5000 } });
const server = https.createServer({
  cert: readFileSync(process.env.LABDOCK_TLS_CERT_FILE ?? '/etc/labdock/tls/server.crt'),
  key: readFileSync(process.env.LABDOCK_TLS_KEY_FILE ?? '/etc/labdock/tls/server.key'),
}, (req, res) => void handler(req, res));
server.listen(443, () => console.log('[control-plane] listening on :443'));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => {
  gc.stop();
  server.close(() => process.exit(0));
});
