/**
 * The DTR-style management API (/api/v0) of the bundled registry, one module
 * per resource; each answers the calls it owns and passes on the rest. What no
 * module owns is a 404 that names the call.
 *
 *   const api = createApiV0([createTagsApi(…), createAccountsApi(accounts), createRepositoriesApi(accounts)]);
 *   await api('GET', '/api/v0/repositories', principal, undefined)   // { status: 200, body: {...} }
 */
import { ApiError, type ApiAnswer, type ApiHandler } from './api-common';
import type { Principal } from '../policy/roles';

export { ApiError } from './api-common';

export function createApiV0(modules: ApiHandler[]) {
  return async function handle(method: string, pathname: string, principal: Principal, body: unknown, query = new URLSearchParams()): Promise<ApiAnswer> {
    for (const module of modules) {
      const answer = await module(method, pathname, principal, body, query);
      if (answer) return answer;
    }
    throw new ApiError(404, 'NOT_FOUND', `no API endpoint ${method} ${pathname}`);
  };
}
