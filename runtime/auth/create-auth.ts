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
import type { Db } from '../db/open-database';

export interface AuthOptions {
  db: Db;
  secret: string;
  config: Pick<Config, 'auth' | 'server'>;
}

/** Instructors stay signed in for a working week, then sign in again. */
const SESSION_DAYS = 7;

export function createAuth({ db, secret, config }: AuthOptions) {
  const { oidc } = config.auth;
  return betterAuth({
    appName: 'labdock',
    database: prismaAdapter(db, { provider: 'sqlite' }),
    secret,
    ...(config.auth.baseUrl ? { baseURL: config.auth.baseUrl } : {}),
    basePath: '/api/auth',
    // The app's own origin is the Host the browser reached (as for terminals and session cookies), plus the operator's list.
    trustedOrigins: (request) => [...config.server.allowedOrigins, ...sameHostOrigins(request, config.server.secureCookies)],
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    account: { accountLinking: { enabled: true, trustedProviders: ['oidc'] } },
    session: { modelName: 'authSession', expiresIn: SESSION_DAYS * 24 * 3600 },
    user: { additionalFields: { role: { type: 'string', defaultValue: 'instructor', input: false } } },
    advanced: { useSecureCookies: config.server.secureCookies, cookiePrefix: 'labdock' },
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

/** http(s)://<Host header>: behind the custom server, request.url's host is the listen address, not what the browser used. */
function sameHostOrigins(request: Request | undefined, secure: boolean): string[] {
  const host = request?.headers.get('host');
  if (!host || !/^[a-z0-9.:[\]-]+$/i.test(host)) return [];
  return secure ? [`https://${host}`] : [`http://${host}`, `https://${host}`];
}
