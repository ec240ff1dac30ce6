/**
 * ES256 JSON Web Tokens as Distribution's token spec uses them: the header
 * names the signing key by a libtrust-format `kid` (what Distribution and
 * Notary match against their trusted keys), claims are plain JSON.
 *
 *   const key = loadOrCreateSigningKey('/var/lib/labdock-registry/token-key.pem');
 *   const jwt = signJwt(key, { sub: 'admin', aud: 'dtr.labdock', exp });
 *   verifyJwt(key, jwt)            // the claims, or null when forged, malformed or of another key
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
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

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signJwt(key: SigningKey, claims: object): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', kid: key.kid }));
  const body = b64url(JSON.stringify(claims));
  // JWS wants the raw r||s signature, not DER.
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(signature)}`;
}

/** The claims of a token this key signed; null for anything else. Expiry is the caller's to check. */
export function verifyJwt(key: SigningKey, token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    if (header.alg !== 'ES256' || header.kid !== key.kid) return null;
    const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
