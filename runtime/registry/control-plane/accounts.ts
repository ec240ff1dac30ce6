/**
 * Registry accounts, kept in one JSON file on the registry node's volume and
 * written atomically (temp file + rename), so a crash never leaves half a file.
 *
 *   const accounts = openAccounts('/var/lib/labdock-registry/accounts.json');
 *   accounts.ensureAdmin('admin', bcryptHash);
 *   await accounts.verify('admin', 'secret')   // Principal | null
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import type { GlobalRole, Principal } from '../policy/roles';

interface StoredUser {
  name: string;
  passwordHash: string;
  globalRole: GlobalRole;
}

interface AccountsFile {
  users: StoredUser[];
}

export function openAccounts(file: string) {
  const read = (): AccountsFile => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AccountsFile) : { users: [] });
  const write = (data: AccountsFile) => {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    /** The session's admin: created on first start, password hash refreshed on every start. */
    ensureAdmin(name: string, passwordHash: string): void {
      const data = read();
      const existing = data.users.find((u) => u.name === name);
      if (existing) Object.assign(existing, { passwordHash, globalRole: 'admin' });
      else data.users.push({ name, passwordHash, globalRole: 'admin' });
      write(data);
    },
    async verify(name: string, password: string): Promise<Principal | null> {
      const user = read().users.find((u) => u.name === name);
      // Compare against a dummy hash for unknown users too: timing says nothing about who exists.
      const hash = user?.passwordHash ?? '$2a$10$CwTycUXWue0Thq9StjUM0uJ8.jwSm3e2XVQJdh3Wx6eYIi5Y0JQO.';
      const ok = await bcrypt.compare(password, hash);
      return ok && user ? { name: user.name, globalRole: user.globalRole } : null;
    },
  };
}

export type Accounts = ReturnType<typeof openAccounts>;
