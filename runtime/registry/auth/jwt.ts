/**
 * ES256 JSON Web Tokens as Distribution's token spec uses them: the header
 * names the signing key by a libtrust-format `kid` (what Distribution and
 * Notary match against their trusted keys), claims are plain JSON. Signing
 * and verifying are jose's (v5: it takes Node's KeyObjects and needs no
 * global WebCrypto, which the registry node's Node 18 lacks); the libtrust
 * key id is ours, jose has no notion of it.
 *
 *   const key = loadOrCreateSigningKey('/var/lib/labdock-registry/token-key.pem');
 *   const jwt = await signJwt(key, { sub: 'admin', aud: 'dtr.labdock', exp });
 *   await verifyJwt(key, jwt)      // the claims, or null when forged, malformed or of another key
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { compactVerify, SignJWT } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

/** The registry's token key survives restarts (tokens and refresh tokens already handed out stay valid). */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return signingKey(createPrivateKey(readFileSync(file)));
}

export function signingKey(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: libtrustKeyId(publicKey) };
}

/**
 * libtrust's key id: the first 240 bits of the SHA-256 of the DER public key,
 * base32 without padding, in 12 groups of 4 joined by ':'.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  return base32(digest).match(/.{4}/g)!.join(':');
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export function signJwt(key: SigningKey, claims: object): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ typ: 'JWT', alg: 'ES256', kid: key.kid }).sign(key.privateKey);
}

/**
 * The claims of a token this key signed; null for anything else. Only the
 * signature, algorithm and key are checked here: expiry, audience and issuer
 * are the token service's to check, on its own clock.
 */
export async function verifyJwt(key: SigningKey, token: string): Promise<Record<string, unknown> | null> {
  try {
    const { payload, protectedHeader } = await compactVerify(token, key.publicKey, { algorithms: ['ES256'] });
    if (protectedHeader.kid !== key.kid) return null;
    const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
