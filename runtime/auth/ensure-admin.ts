/**
 * Making accounts without a sign-up form: the first admin from the
 * environment on first start, any account from `npm run admin:create`.
 * Passwords are hashed by better-auth's own hasher (scrypt), so sign-in
 * verifies them the same way.
 *
 *   await ensureAdmin(auth, db, process.env);   // creates LABDOCK_ADMIN_EMAIL once, when no admin exists
 *   await createAccount(auth, { email, password, name, role: 'instructor' });
 */
import type { Db } from '../db/open-database';
import type { Auth } from './create-auth';

export interface NewAccount { email: string; password: string; name?: string; role: 'admin' | 'instructor' }

export async function createAccount(auth: Auth, account: NewAccount): Promise<{ id: string; email: string }> {
  const email = account.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`${account.email} is not an email address`);
  if (account.password.length < 12) throw new Error('the password needs at least 12 characters');
  const ctx = await auth.$context;
  if (await ctx.internalAdapter.findUserByEmail(email)) throw new Error(`an account for ${email} already exists`);
  const user = await ctx.internalAdapter.createUser({ email, name: account.name ?? email.split('@')[0], emailVerified: true, role: account.role }, { method: 'admin' });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: await ctx.password.hash(account.password) });
  return { id: user.id, email };
}

/** On start: when no admin exists and LABDOCK_ADMIN_EMAIL/PASSWORD are set, create that admin. Returns what it did. */
export async function ensureAdmin(auth: Auth, db: Db, env: Record<string, string | undefined>): Promise<string | null> {
  if (await db.user.count({ where: { role: 'admin' } })) return null;
  const email = env.LABDOCK_ADMIN_EMAIL;
  const password = env.LABDOCK_ADMIN_PASSWORD;
  if (!email || !password) return 'no admin account yet: set LABDOCK_ADMIN_EMAIL and LABDOCK_ADMIN_PASSWORD, or run `npm run admin:create`';
  const made = await createAccount(auth, { email, password, role: 'admin', name: 'admin' });
  return `created the admin account ${made.email}`;
}
