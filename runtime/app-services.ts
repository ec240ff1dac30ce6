/**
 * Everything the composition root hands to Next.js route handlers. Type-only
 * for app/: the objects live in the server process (runtime/server.ts).
 */
import type { Config } from './config/config';
import type { SessionService } from './sessions/session-service';
import type { ServicesBase } from './services';
import type { RegistryConsole } from './registry-host/console-proxy/registry-console';
import type { Capacity } from './admission/capacity';
import type { Auth } from './auth/create-auth';
import type { WorkshopService } from './workshops/workshop-service';
import type { StandingPool } from './standing-pool/standing-pool';

export interface AppServices extends ServicesBase {
  config: Config;
  sessions: SessionService;
  /** Forwards the registry console's requests to a session's registry node. */
  registryConsole: RegistryConsole;
  /** Host capacity for sessions (the workshops' warm pool books through it too). */
  capacity: Capacity;
  /** Origins browsers may write from and open terminals from (server.publicOrigins, or loopback). */
  publicOrigins: readonly string[];
  /** Instructor accounts (better-auth). */
  auth: Auth;
  workshops: WorkshopService;
  /** Sessions started ahead for labs that ask for it: the catalog's start claims from here. */
  standingPool: StandingPool;
}
