/**
 * Who may call every /api/v0 route, with no Docker: each declared route ×
 * each kind of caller × whose resource it is, decided by the real authorize()
 * over a real (offline) registry's state, against the access rules written
 * down here independently of the route table — DTR's rules as a lab reads
 * them. A route added without a line here fails the test; so does a route
 * whose declared permission lets the wrong people in.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOfflineRegistry } from '../control-plane/offline-registry';
import { accessFacts } from '../control-plane/access-facts';
import { authorize, type AccessFacts } from './permissions';
import { ApiError, type ApiRoute } from './api-route';
import { createApi } from './dispatch-api';
import type { GlobalRole } from '../policy/roles';

type Actor = 'admin' | 'owner' | 'writer' | 'reader' | 'alice' | 'stranger';
const ACTORS: Actor[] = ['admin', 'owner', 'writer', 'reader', 'alice', 'stranger'];
type Outcome = 'ok' | 403 | 404 | 400;
type Params = Record<string, string>;

/**
 * The world: organization eng (owner: owner) with team core (writer; read-write on eng/app and eng/target) and team
 * viewers (reader; read-only on both); alice's own repository alice/tool; stranger has no role. All private.
 */
const ALL = ['view', 'pull', 'push', 'scan', 'delete', 'manage'];
const ACCESS: Record<string, Record<Actor, string[]>> = {
  'eng/app': { admin: ALL, owner: ALL, writer: ['view', 'pull', 'push', 'scan'], reader: ['view', 'pull'], alice: [], stranger: [] },
  'eng/target': { admin: ALL, owner: ALL, writer: ['view', 'pull', 'push', 'scan'], reader: ['view', 'pull'], alice: [], stranger: [] },
  'alice/tool': { admin: ALL, owner: [], writer: [], reader: [], alice: ALL, stranger: [] },
};

// The rules, one kind per line.
type Rule = (a: Actor, p: Params, body: Record<string, unknown>) => Outcome;
const everyone: Rule = () => 'ok';
const admins: Rule = (a) => (a === 'admin' ? 'ok' : 403);
const onRepo = (action: string, name?: (p: Params, body: Record<string, unknown>) => string): Rule => (a, p, body) => {
  const can = ACCESS[name ? name(p, body) : `${p.namespace}/${p.repo}`][a];
  if (!can.includes('view')) return 404; // not revealed
  return can.includes(action) ? 'ok' : 403;
};
const orgIsEng = (org: string) => (org === 'eng' ? null : 404);
const teamsView: Rule = (a, p) => orgIsEng(p.org ?? p.namespace) ?? (['admin', 'owner', 'writer', 'reader'].includes(a) ? 'ok' : 403);
const teamsManage: Rule = (a, p) => orgIsEng(p.org ?? p.namespace) ?? (['admin', 'owner'].includes(a) ? 'ok' : 403);
const namespaceAdmin: Rule = (a, p) => (a === 'admin' || (p.namespace === 'eng' && a === 'owner') || p.namespace === a ? 'ok' : 403);
const selfOrAdmin: Rule = (a, p, body) => (a === 'admin' || (p.name === a && body.globalRole === undefined) ? 'ok' : 403);
const hookKeyAdmin = (key: string, a: Actor) => a === 'admin' || (key === 'eng/app' && ACCESS['eng/app'][a].includes('manage'));
const hookById: Rule = (a, p) => (hookKeyAdmin(p.id === HOOKS.eng ? 'eng/app' : '', a) ? 'ok' : 404);
const hookByBody: Rule = (a, _p, body) => (hookKeyAdmin(String(body.key ?? ''), a) ? 'ok' : 403);
/** The first rule that refuses answers. */
const all = (...rules: Rule[]): Rule => (a, p, body) => rules.map((r) => r(a, p, body)).find((o) => o !== 'ok') ?? 'ok';
const target = onRepo('push', (_p, body) => String(body.targetRepository));
const HOOKS = { eng: '', all: '' };

const repo = '/repositories/{namespace}/{repo}';
const promo = `${repo}/promotionPolicies`;
const SPEC: Record<string, Rule> = {
  'GET /accounts': everyone,
  'POST /accounts': admins,
  'GET /accounts/{name}': everyone,
  'PATCH /accounts/{name}': selfOrAdmin,
  'DELETE /accounts/{name}': admins,
  'GET /accounts/{org}/teams': teamsView,
  'POST /accounts/{org}/teams': teamsManage,
  'GET /accounts/{org}/teams/{team}': teamsView,
  'DELETE /accounts/{org}/teams/{team}': teamsManage,
  'GET /accounts/{org}/teams/{team}/members': teamsView,
  'GET /accounts/{org}/teams/{team}/members/{user}': teamsView,
  'PUT /accounts/{org}/teams/{team}/members/{user}': teamsManage,
  'DELETE /accounts/{org}/teams/{team}/members/{user}': teamsManage,
  'GET /repositories': everyone,
  'GET /repositories/{namespace}': everyone,
  'POST /repositories/{namespace}': namespaceAdmin,
  [`GET ${repo}`]: onRepo('view'),
  [`PATCH ${repo}`]: onRepo('manage'),
  [`DELETE ${repo}`]: onRepo('delete'),
  [`GET ${repo}/tags`]: onRepo('view'),
  [`DELETE ${repo}/tags/{tag}`]: onRepo('delete'),
  [`GET ${repo}/events`]: onRepo('view'),
  [`GET ${repo}/teamAccess`]: all(onRepo('view'), teamsManage),
  [`GET ${repo}/teamAccess/{team}`]: all(onRepo('view'), teamsManage),
  [`PUT ${repo}/teamAccess/{team}`]: all(onRepo('view'), teamsManage),
  [`DELETE ${repo}/teamAccess/{team}`]: all(onRepo('view'), teamsManage),
  'GET /repositoryNamespaces/{namespace}/teamAccess': teamsManage,
  'GET /repositoryNamespaces/{namespace}/teamAccess/{team}': teamsManage,
  'PUT /repositoryNamespaces/{namespace}/teamAccess/{team}': teamsManage,
  'DELETE /repositoryNamespaces/{namespace}/teamAccess/{team}': teamsManage,
  'GET /webhooks': everyone,
  'POST /webhooks': hookByBody,
  'GET /webhooks/{id}': hookById,
  'PATCH /webhooks/{id}': hookById,
  'DELETE /webhooks/{id}': hookById,
  'GET /webhooks/{id}/deliveries': hookById,
  'GET /events': admins,
  'GET /gc': admins,
  'PUT /gc/schedule': admins,
  'POST /gc/run': admins,
  'GET /jobs': admins,
  'GET /jobs/{id}': admins,
  'GET /meta/settings': admins,
  'POST /meta/settings': admins,
  'GET /meta/logs': admins,
  'GET /meta/logs/{component}': admins,
  'GET /meta/cluster_status': admins,
  'GET /imagescan/status': everyone,
  'POST /imagescan/scanner/db': admins,
  'POST /imagescan/scanner/sync': admins,
  'POST /imagescan/scan/{namespace}/{repo}/{tag}': onRepo('scan'),
  'POST /imagescan/scan/{namespace}/{repo}/{tag}/{os}/{arch}': onRepo('scan'),
  'GET /imagescan/scansummary/repositories/{namespace}/{repo}/{tag}': onRepo('view'),
  'GET /imagescan/repositories/{namespace}/{repo}/{tag}': onRepo('view'),
  'GET /imagescan/repositories/{namespace}/{repo}/{tag}/export.csv': onRepo('view'),
  [`GET ${promo}`]: onRepo('view'),
  [`POST ${promo}`]: all(onRepo('view'), namespaceAdmin, target),
  [`GET ${promo}/{id}`]: onRepo('view'),
  [`PUT ${promo}/{id}`]: all(onRepo('view'), namespaceAdmin, target),
  [`PATCH ${promo}/{id}`]: all(onRepo('view'), namespaceAdmin, target),
  [`DELETE ${promo}/{id}`]: all(onRepo('view'), namespaceAdmin),
};

let reg: Awaited<ReturnType<typeof startOfflineRegistry>>;
let facts: AccessFacts;
const principal = (a: Actor) => ({ name: a, globalRole: (a === 'admin' ? 'admin' : 'none') as GlobalRole });

before(async () => {
  reg = await startOfflineRegistry();
  reg.accounts.update((d) => {
    for (const name of ACTORS.filter((a) => a !== 'admin')) d.users.push({ name, passwordHash: 'x', globalRole: 'none' });
    d.orgs.push({ name: 'eng', owners: ['owner'] });
    d.teams.push({ org: 'eng', name: 'core', members: ['writer'] }, { org: 'eng', name: 'viewers', members: ['reader'] });
    for (const [namespace, name] of [['eng', 'app'], ['eng', 'target'], ['alice', 'tool']]) {
      d.repositories.push({ namespace, name, visibility: 'private', teamAccess: namespace === 'eng' ? { core: 'read-write', viewers: 'read-only' } : {} });
    }
  });
  HOOKS.eng = reg.webhooks.create({ type: 'TAG_PUSH', key: 'eng/app', endpoint: 'http://127.0.0.1:9/hook' }, 'owner').id;
  HOOKS.all = reg.webhooks.create({ type: 'TAG_PUSH', key: '', endpoint: 'http://127.0.0.1:9/hook' }, 'admin').id;
  facts = accessFacts(reg);
});
after(async () => reg?.stop());

const keyOf = (r: ApiRoute) => `${r.method} ${r.path}`;

/** Every binding of the route's parameters worth telling apart: both repositories, both namespaces, oneself and another account, both hooks. */
function cases(r: ApiRoute, actor: Actor): { params: Params; body: Record<string, unknown> }[] {
  const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  let bindings: Params[] = [{}];
  const vary = (values: Params[]) => (bindings = bindings.flatMap((b) => values.map((v) => ({ ...b, ...v }))));
  if (names.includes('repo')) vary([{ namespace: 'eng', repo: 'app' }, { namespace: 'alice', repo: 'tool' }]);
  else if (names.includes('namespace')) vary([{ namespace: 'eng' }, { namespace: 'alice' }]);
  if (names.includes('org')) vary([{ org: 'eng' }, { org: 'alice' }]);
  if (names.includes('name')) vary([{ name: actor }, { name: actor === 'alice' ? 'stranger' : 'alice' }]);
  if (names.includes('id')) vary(r.path.startsWith('/webhooks') ? [{ id: HOOKS.eng }, { id: HOOKS.all }] : [{ id: 'p1' }]);
  for (const n of names) if (!bindings[0][n]) vary([{ [n]: n === 'tag' ? '1' : n === 'os' ? 'linux' : n === 'arch' ? 'amd64' : 'core' }]);
  const bodies: Record<string, unknown>[] =
    r.path === '/accounts/{name}' && r.method === 'PATCH' ? [{ fullName: 'x' }, { globalRole: 'admin' }]
      : r.path === '/webhooks' && r.method === 'POST' ? [{ key: 'eng/app' }, { key: '' }, {}]
        : r.path.startsWith(promo) && r.method !== 'GET' && r.method !== 'DELETE' ? [{ targetRepository: 'eng/target' }, { targetRepository: 'alice/tool' }]
          : [{}];
  return bindings.flatMap((params) => bodies.map((body) => ({ params, body })));
}

function outcome(r: ApiRoute, actor: Actor, params: Params, body: unknown): Outcome {
  try {
    authorize(r.permission, { principal: principal(actor), params, body }, facts);
    return 'ok';
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return err.status as Outcome;
  }
}

test('every route has a line in the access rules, and every line a route', () => {
  const declared = reg.apiRoutes.map(keyOf).sort();
  assert.deepEqual(declared, Object.keys(SPEC).sort());
});

test('every route × caller × ownership: authorize() decides as the access rules say', () => {
  const wrong: string[] = [];
  let n = 0;
  for (const r of reg.apiRoutes) {
    for (const actor of ACTORS) {
      for (const { params, body } of cases(r, actor)) {
        n++;
        // The rules speak of eng's organization; a route naming alice's namespace as an organization finds none.
        const expected = SPEC[keyOf(r)](actor, params, body);
        const got = outcome(r, actor, params, body);
        if (got !== expected) wrong.push(`${keyOf(r)} as ${actor} ${JSON.stringify(params)} ${JSON.stringify(body)}: expected ${expected}, got ${got}`);
      }
    }
  }
  assert.ok(n > 600, `only ${n} cases`);
  assert.deepEqual(wrong, []);
});

test('a global read-only or read-write role reaches every repository, and no more than its role allows', () => {
  const byRole = (globalRole: GlobalRole) => ({ name: `g-${globalRole}`, globalRole });
  const view = reg.apiRoutes.find((r) => keyOf(r) === `GET ${repo}`)!;
  const manage = reg.apiRoutes.find((r) => keyOf(r) === `PATCH ${repo}`)!;
  const params = { namespace: 'alice', repo: 'tool' };
  authorize(view.permission, { principal: byRole('read-only'), params, body: {} }, facts);
  assert.throws(() => authorize(manage.permission, { principal: byRole('read-write'), params, body: {} }, facts), (e: ApiError) => e.status === 403);
  assert.throws(() => authorize(view.permission, { principal: byRole('none'), params, body: {} }, facts), (e: ApiError) => e.status === 404);
});

test('the dispatcher authorizes before it parses the body or runs the handler', async () => {
  let ran = 0;
  const routes = reg.apiRoutes.map((r) => ({ ...r, handler: () => (ran++, { status: 200, body: null }) }));
  const api = createApi(routes, facts);
  // A refused caller learns nothing of the body's shape: 403, not 400.
  await assert.rejects(api('POST', '/api/v0/accounts', principal('stranger'), { nonsense: true }), (e: ApiError) => e.status === 403);
  await assert.rejects(api('PATCH', '/api/v0/repositories/eng/app', principal('writer'), { tagLimit: 'many' }), (e: ApiError) => e.status === 403);
  await assert.rejects(api('GET', '/api/v0/repositories/alice/tool/tags', principal('owner'), undefined), (e: ApiError) => e.status === 404);
  assert.equal(ran, 0, 'no handler ran for a refused call');
  await assert.rejects(api('PATCH', '/api/v0/repositories/eng/app', principal('owner'), { tagLimit: 'many' }), (e: ApiError) => e.status === 400);
  assert.equal(ran, 0);
  assert.equal((await api('PATCH', '/api/v0/repositories/eng/app', principal('owner'), { tagLimit: 3 })).status, 200);
  assert.equal(ran, 1);
  await assert.rejects(api('GET', '/api/v0/nonsense', principal('admin'), undefined), (e: ApiError) => e.status === 404 && /no API endpoint GET/.test(e.message));
});

test('a route that declares no permission is nobody\'s', () => {
  assert.throws(() => authorize([], { principal: principal('admin'), params: {}, body: {} }, facts), (e: ApiError) => e.status === 403);
});
