/**
 * Everything the composition root hands to Next.js route handlers. Type-only
 * for app/: the objects live in the server process (runtime/server.ts).
 */
import type { Config } from './config/config';
import type { SessionService } from './sessions/session-service';
import type { ServicesBase } from './services';

export interface AppServices extends ServicesBase {
  config: Config;
  sessions: SessionService;
}
