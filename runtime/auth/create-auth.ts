/**
 * Instructor accounts, by better-auth over our Prisma client: email +
 * password (scrypt, memory-hard), HttpOnly SameSite cookies (Secure when
 * config.server.secureCookies), Origin checks on every cookie-carrying POST,
 * rate-limited sign-in, and optional OpenID Connect (generic OAuth plugin).
 * Nobody signs up: admins are made by ensureAdmin (environment or CLI).
 *
 *   const auth = createAuth({ db, config });
 *   await auth.handler(request);                        // /api/auth/* routes
 *   await auth.api.getSession({ headers });             // { user, session } | null
 */
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import type { Config } from '../config/config';
import { databaseProvider, type Db } from '../db/open-database';
import { authBaseUrl } from './auth-base-url';
import { CLIENT_HEADER } from '../http/client-address';

export interface AuthOptions {
  db: Db;
  secret: string;
  config: Pick<Config, 'auth' | 'server'>;
  /** The server's public origins (server.publicOrigins, or loopback): read per request, filled once the port is known. */
  publicOrigins: readonly string[];
}

/** Instructors stay signed in for a working week, then sign in again. */
const SESSION_DAYS = 7;

export function createAuth({ db, secret, config, publicOrigins }: AuthOptions) {
  const { oidc } = config.auth;
  return betterAuth({
    appName: 'labdock',
    database: prismaAdapter(db, { provider: databaseProvider(db) }),
    secret,
    // LABDOCK_AUTH_BASE_URL, else the public origins, else loopback: never an unset URL taken from any Host.
    baseURL: authBaseUrl(config),
    basePath: '/api/auth',
    // The configured public origins, as for every other write and terminal: never the request's own Host.
    trustedOrigins: () => [...publicOrigins],
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    account: { accountLinking: { enabled: true, trustedProviders: ['oidc'] } },
    session: { modelName: 'authSession', expiresIn: SESSION_DAYS * 24 * 3600 },
    user: { additionalFields: { role: { type: 'string', defaultValue: 'instructor', input: false } } },
    advanced: {
      useSecureCookies: config.server.secureCookies, cookiePrefix: 'labdock',
      // The address our server put there (never the client's own X-Forwarded-For): without it every
      // client shared one rate-limit bucket, and ten wrong passwords from anyone locked everyone out.
      ipAddress: { ipAddressHeaders: [CLIENT_HEADER] },
    },
    // Ten tries a minute per address: enough for typos, too few to guess passwords.
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { '/sign-in/email': { window: 60, max: 10 } } },
    telemetry: { enabled: false },
    plugins: oidc.issuer
      ? [genericOAuth({
          config: [{
            providerId: 'oidc',
            discoveryUrl: `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
            clientId: oidc.clientId,
            clientSecret: oidc.clientSecret,
            scopes: ['openid', 'email', 'profile'],
            pkce: true,
            // OIDC signs in instructors an admin already made (matched by verified email); it never creates accounts.
            disableSignUp: true,
          }],
        })]
      : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;
