/**
 * The registry console's server side: forwards one browser request, already
 * authorized for a session, to that session's registry node — only paths the
 * allow-list accepts, acting as the registry user whose credentials the
 * browser sent (the console signs in as the session's admin by default, or as
 * any registry user the learner names). labdock keeps no registry
 * credentials of its own here: a request without them is anonymous to the
 * registry, which answers 401.
 *
 *   const console = createRegistryConsole({ provisioners, timeoutMs: 15_000 });
 *   const answer = await console.forward(sessionRow, {
 *     method: 'GET', path: '/api/v0/repositories', search: '', authorization: 'Basic YWRtaW46…',
 *   });
 *   // { status: 200, body: { repositories: [...] } }
 */
import { HttpError } from '../../http/http-error';
import type { Provisioner, ProvisionerKind } from '../../provisioner/provisioner';
import { NodeNotFoundError } from '../../provisioner/provisioner';
import { REGISTRY_CA_ENV, REGISTRY_NODE } from '../start-registry';
import { forwardRegistryRequest, type RegistryAnswer } from './forward-registry-request';
import { registryTarget } from './registry-target';

/** What the console needs to know of the (already authorized) session. */
export interface ConsoleSession {
  id: string;
  status: string;
  provisioner: string;
  /** JSON of the session's variables: a registry lab has `registry.hostname`. */
  vars: string;
}

export interface ConsoleRequest {
  method: string;
  /** The registry path, e.g. /api/v0/repositories (raw, still percent-encoded). */
  path: string;
  search: string;
  body?: string;
  /** The browser's X-Registry-Authorization header, if any. */
  authorization?: string | null;
}

export interface RegistryConsoleOptions {
  provisioners: Partial<Record<ProvisionerKind, Provisioner>>;
  /** Per request, end to end. */
  timeoutMs: number;
  /** Registry nodes listen on 443; unit tests point this at their own TLS server. */
  registryPort?: number;
}

/** API bodies are a few hundred bytes; 64 KiB leaves room for long descriptions. */
export const MAX_CONSOLE_BODY = 64 * 1024;
// Basic credentials or a token from the registry's token service; nothing else is forwarded.
const AUTHORIZATION = /^(Basic [A-Za-z0-9+/]+={0,2}|Bearer [A-Za-z0-9._~+/-]+=*)$/;

export function createRegistryConsole(options: RegistryConsoleOptions) {
  async function endpointOf(session: ConsoleSession) {
    const vars = JSON.parse(session.vars) as Record<string, string>;
    if (!vars['registry.hostname']) throw new HttpError(404, 'this lab has no registry');
    if (session.status !== 'ready') throw new HttpError(409, `session is ${session.status}: the registry console works once it is ready`);
    const provisioner = options.provisioners[session.provisioner as ProvisionerKind];
    if (!provisioner?.nodeEndpoint) throw new HttpError(404, `the ${session.provisioner} provisioner runs no registry node`);
    try {
      const { address, env } = await provisioner.nodeEndpoint(session.id, REGISTRY_NODE);
      const caCert = env[REGISTRY_CA_ENV];
      // Without its CA the node cannot be verified, so it is not contacted at all (fail closed).
      if (!caCert) throw new HttpError(502, 'the registry node does not carry its session CA (it predates the console): reset the session');
      return { address, caCert, port: options.registryPort };
    } catch (err) {
      if (err instanceof NodeNotFoundError) throw new HttpError(410, 'the registry node is not running: reset the session');
      throw err;
    }
  }

  return {
    async forward(session: ConsoleSession, req: ConsoleRequest): Promise<RegistryAnswer> {
      const target = registryTarget(req.method, req.path, req.search);
      if ('problem' in target) throw new HttpError(400, target.problem);
      const authorization = req.authorization?.trim();
      if (authorization && (authorization.length > 4096 || !AUTHORIZATION.test(authorization))) {
        throw new HttpError(400, 'X-Registry-Authorization must be "Basic <base64 user:password>" or "Bearer <token>"');
      }
      if (req.body !== undefined && Buffer.byteLength(req.body) > MAX_CONSOLE_BODY) throw new HttpError(413, `request body is larger than ${MAX_CONSOLE_BODY} bytes`);
      const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
      const endpoint = await endpointOf(session);
      return forwardRegistryRequest(endpoint, {
        method: req.method, path: target.path, authorization: authorization || undefined,
        ...(hasBody ? { body: req.body ?? '' } : {}),
      }, { timeoutMs: options.timeoutMs });
    },
  };
}

export type RegistryConsole = ReturnType<typeof createRegistryConsole>;
