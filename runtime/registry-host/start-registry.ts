/**
 * The bundled registry node of a session: labdock's control plane over TLS
 * with the session's own CA, in front of CNCF Distribution, with the session's
 * admin account (its bcrypt hash only: the password itself stays with the
 * session panel).
 *
 *   const { caCert, spec } = await prepareRegistryNode({ username: 'admin', password });
 *   await provisioner.createNode(sessionId, await spec);   // alongside the lab nodes, which get registryNodeEnv(caCert)
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { NodeSpec } from '../provisioner/provisioner';
import { createSessionPki, type SessionPki } from './session-pki';
import { REGISTRY_NODE_NAME } from '../labs/parse-front-matter';

/** Node name of the registry in every session (labs may not use it for their own nodes). */
export const REGISTRY_NODE = REGISTRY_NODE_NAME;
/**
 * Its hostname. It must contain a dot: Docker reads the first part of
 * `dtr/admin/alpine` as a Docker Hub account, but `dtr.labdock/admin/alpine`
 * as a registry host.
 */
export const REGISTRY_HOST = 'dtr.labdock';
export const REGISTRY_IMAGE = 'registry';
/** The registry node's environment variable that holds its session's CA certificate (public, PEM). */
export const REGISTRY_CA_ENV = 'LABDOCK_TLS_CA';
/**
 * The labdock server's own admin account in every session registry (checks
 * read the registry as it). The registry hides it from its accounts API, so
 * learners can neither see nor change it.
 */
export const PLATFORM_USER = 'labdock-platform';
/** Run in the registry node: exits 0 once the control plane answers (after a start or a resume). */
export const REGISTRY_READY_COMMAND = ['curl', '-fsSk', 'https://127.0.0.1/_ping'];

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Environment a lab node needs to trust and reach the session registry. */
export function registryNodeEnv(caCert: string): Record<string, string> {
  return { LABDOCK_REGISTRY_HOST: REGISTRY_HOST, LABDOCK_REGISTRY_CA: caCert };
}

/**
 * Everything the registry node needs, made before it starts: its PKI, its accounts, its spec. The CA is
 * known as soon as the PKI is made, so lab nodes (which only need to trust it) start while the
 * accounts' bcrypt hashes (~150 ms of CPU) are still being made for the registry node's spec.
 */
export async function prepareRegistryNode(admin: RegistryCredentials, platform?: RegistryCredentials): Promise<{ caCert: string; spec: Promise<NodeSpec> }> {
  const pki = await createSessionPki(REGISTRY_HOST);
  return { caCert: pki.caCert, spec: registrySpec(pki, admin, platform) };
}

async function registrySpec(pki: SessionPki, admin: RegistryCredentials, platform?: RegistryCredentials): Promise<NodeSpec> {
  // Cost 10: ~50 ms per login check inside Distribution, as Distribution's own docs use.
  const [adminHash, platformHash] = await Promise.all([bcrypt.hash(admin.password, 10), platform ? bcrypt.hash(platform.password, 10) : null]);
  const platformEntry: Record<string, string> = platform && platformHash ? { LABDOCK_PLATFORM: `${platform.username}:${platformHash}` } : {};
  return {
    name: REGISTRY_NODE,
    hostname: REGISTRY_HOST,
    image: REGISTRY_IMAGE,
    env: {
      LABDOCK_TLS_CERT: pki.cert, LABDOCK_TLS_KEY: pki.key, LABDOCK_ADMIN: `${admin.username}:${adminHash}`, LABDOCK_REGISTRY_HOST: REGISTRY_HOST, ...platformEntry,
      // Not used by the node itself: the labdock server reads it back (provisioner.nodeEndpoint) to trust
      // only this session's CA when the registry console talks to the node; it survives restarts and resets.
      [REGISTRY_CA_ENV]: pki.caCert,
      // Notary's signer encrypts the session's signing keys with this; it never leaves the registry node.
      LABDOCK_NOTARY_PASSPHRASE: randomBytes(24).toString('base64url'),
    },
    service: { readyCommand: REGISTRY_READY_COMMAND, volumePath: '/var/lib/labdock-registry' },
  };
}
