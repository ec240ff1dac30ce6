// What every section of the registry console receives from the console itself.
import type { Account, RegistryApi } from '@/app/lib/registry-api';

export interface ConsoleContext {
  api: RegistryApi;
  /** The signed-in registry user; also their personal namespace. */
  username: string;
  isAdmin: boolean;
  /** Every account the registry lists to this user (roles only for admins; empty where only admins may list). */
  accounts: Account[];
  /** Changes after every successful change: sections reload on it. */
  version: number;
  reload(): void;
  report(err: unknown): void;
  /** A change succeeded: say so and reload. */
  done(message: string): void;
}
