/**
 * Entry point of the control plane inside the registry node (bundled for the
 * node's Node.js by runtime/images). Configuration comes from the environment
 * the entrypoint sets:
 *   LABDOCK_TLS_CERT_FILE, LABDOCK_TLS_KEY_FILE  serve HTTPS on :443
 *   LABDOCK_ADMIN                                "name:bcrypt-hash" of the session admin
 *   LABDOCK_PLATFORM                             the same for the labdock server's own (hidden) account
 *   LABDOCK_STATE                                state directory (accounts, token key, jobs, events…;
 *                                                distribution/ is Distribution's storage root)
 *   LABDOCK_REGISTRY_HOST                        the registry's hostname: token service and audience
 *   LABDOCK_EVENTS_TOKEN                         what Distribution's notifications carry (loopback :5002)
 *   LABDOCK_NOTARY_URL                           notary-server on loopback (http://127.0.0.1:4443), for content trust
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeRegistry } from './compose-registry';
import { notaryAddress } from './trust-route';
import { gateNotary } from './notary-ready';
import { distributionCollector } from '../gc/garbage-collector';

const state = process.env.LABDOCK_STATE ?? '/var/lib/labdock-registry';
const registry = composeRegistry({
  state,
  storageRoot: path.join(state, 'distribution'),
  distribution: { host: '127.0.0.1', port: 5000 },
  collect: distributionCollector('/etc/labdock/distribution.yml'),
  eventsToken: process.env.LABDOCK_EVENTS_TOKEN ?? '',
  host: process.env.LABDOCK_REGISTRY_HOST ?? 'dtr.labdock',
  logFiles: {
    distribution: '/var/log/distribution.log',
    // Content trust's back ends (start-notary.sh); empty when the node runs without Notary.
    'notary-server': '/var/log/notary-server.log', 'notary-signer': '/var/log/notary-signer.log', postgres: '/var/log/postgresql/notary.log',
  },
  vulnDbBundled: '/opt/labdock/vulndb/alpine-secdb',
  notary: gated(notaryAddress(process.env.LABDOCK_NOTARY_URL)),
});
for (const [variable, system] of [['LABDOCK_ADMIN', false], ['LABDOCK_PLATFORM', true]] as const) {
  const entry = process.env[variable] ?? '';
  const colon = entry.indexOf(':');
  if (colon > 0) registry.accounts.ensureAdmin(entry.slice(0, colon), entry.slice(colon + 1), { system });
}

/** Notary starts beside the control plane (entrypoint.sh): trust requests wait for it, nothing else does. */
function gated(address: ReturnType<typeof notaryAddress>) {
  return address ? gateNotary(address) : undefined;
}

const server = https.createServer({
  cert: readFileSync(process.env.LABDOCK_TLS_CERT_FILE ?? '/etc/labdock/tls/server.crt'),
  key: readFileSync(process.env.LABDOCK_TLS_KEY_FILE ?? '/etc/labdock/tls/server.key'),
}, (req, res) => void registry.handler(req, res));
server.listen(443, () => console.log('[control-plane] listening on :443'));
// Distribution's notifications: loopback only, and they must carry the token.
const events = http.createServer(registry.notifications);
events.listen(5002, '127.0.0.1');

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => {
  registry.stop();
  events.close();
  server.close(() => process.exit(0));
});
