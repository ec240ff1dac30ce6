import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSessionPki } from './session-pki';

test('a fresh CA per session; the server certificate names the host and chains to it', async () => {
  const a = await createSessionPki('dtr');
  const b = await createSessionPki('dtr');
  const ca = new X509Certificate(a.caCert);
  const cert = new X509Certificate(a.cert);
  assert.ok(ca.ca);
  assert.ok(!cert.ca);
  assert.ok(cert.verify(ca.publicKey), 'signed by the session CA');
  assert.ok(!cert.verify(new X509Certificate(b.caCert).publicKey), 'not by another session\'s CA');
  assert.equal(cert.checkHost('dtr'), 'dtr');
  assert.equal(cert.checkHost('evil'), undefined);
  assert.ok(cert.checkPrivateKey(createPrivateKey(a.key)));
  assert.notEqual(a.caCert, b.caCert);
});

test('bad hostnames are refused before openssl sees them', async () => {
  await assert.rejects(createSessionPki('dtr/../x'), /invalid registry hostname/);
});
