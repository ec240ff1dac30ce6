/**
 * How the server itself reads a session's registry — for typed registry
 * checks — as the session's platform account (never the learner's admin,
 * whose password the learner may change), through the same verified path as
 * the console: the registry node's address on the session network, its
 * session CA, the console's allow-list and timeout.
 *
 *   const read = platformRegistryReader(registryConsole, sessionRow);
 *   await read('/api/v0/repositories/admin/alpine')   // { status: 200, body: {...} }
 */
import type { RegistryRead } from '../../checker/registry-checks';
import { PLATFORM_USER } from '../start-registry';
import type { ConsoleSession, RegistryConsole } from './registry-console';

export function platformRegistryReader(console: RegistryConsole, session: ConsoleSession & { platformSecret: string | null }): RegistryRead {
  return async (path) => {
    if (!session.platformSecret) throw new Error('this session has no platform account in its registry (it was started before labdock had one): reset it');
    const q = path.indexOf('?');
    const authorization = `Basic ${Buffer.from(`${PLATFORM_USER}:${session.platformSecret}`).toString('base64')}`;
    const answer = await console.forward(session, { method: 'GET', path: q < 0 ? path : path.slice(0, q), search: q < 0 ? '' : path.slice(q), authorization });
    return { status: answer.status, body: answer.body };
  };
}
