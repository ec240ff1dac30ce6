/**
 * Per-session TLS for the bundled registry: a fresh CA and a server
 * certificate naming the registry's hostname, made with the host's openssl
 * (Node can sign, but not build X.509 certificates). Nothing is reused across
 * sessions: each session trusts only its own CA.
 *
 *   const pki = await createSessionPki('dtr');
 *   pki.caCert   // PEM for nodes' /etc/docker/certs.d/dtr/ca.crt
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SessionPki {
  caCert: string;
  cert: string;
  key: string;
}

/** 30 days: longer than any session may live (7 days at most), short enough to not matter if leaked. */
const DAYS = '30';

export async function createSessionPki(hostname: string): Promise<SessionPki> {
  if (!/^[a-z0-9][a-z0-9.-]{0,252}$/.test(hostname)) throw new Error(`invalid registry hostname: ${hostname}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'labdock-pki-'));
  const f = (name: string) => path.join(dir, name);
  const openssl = async (...args: string[]) => {
    try {
      await run('openssl', args, { cwd: dir });
    } catch (err) {
      const e = err as { code?: string; stderr?: string };
      throw new Error(e.code === 'ENOENT' ? 'openssl is not installed (apt-get install openssl)' : `openssl ${args[0]} failed: ${e.stderr ?? String(err)}`);
    }
  };
  try {
    // The CA and the server's key and request do not depend on each other: made at once (a session's start waits on this).
    await Promise.all([
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'),
        '-days', DAYS, '-subj', `/O=labdock/CN=labdock session CA for ${hostname}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'),
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/O=labdock/CN=${hostname}`),
      writeFile(f('ext.cnf'), `subjectAltName=DNS:${hostname},DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n`),
    ]);
    await openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', DAYS, '-extfile', f('ext.cnf'), '-out', f('server.crt'));
    const [caCert, cert, key] = await Promise.all([readFile(f('ca.crt'), 'utf8'), readFile(f('server.crt'), 'utf8'), readFile(f('server.key'), 'utf8')]);
    return { caCert, cert, key };
  } finally {
    // The CA key never leaves this function: no one can mint another certificate for the session.
    await rm(dir, { recursive: true, force: true });
  }
}
