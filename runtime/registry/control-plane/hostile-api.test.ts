/**
 * The /api/v0 surface under careless and hostile clients, with no Docker
 * engine: malformed percent-encoding is a 400, never a 500; the platform's
 * hidden account cannot be found by trying to create it (issue #11, items 4
 * and 12).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { startOfflineRegistry } from './offline-registry';
import { PLATFORM_USER } from '../../registry-host/start-registry';

let reg: Awaited<ReturnType<typeof startOfflineRegistry>>;
before(async () => {
  reg = await startOfflineRegistry();
  reg.accounts.ensureAdmin(PLATFORM_USER, await bcrypt.hash('platform-password', 4), { system: true });
});
after(async () => reg?.stop());

test('malformed percent-encoding anywhere in an /api/v0 path is a 400 with a message', async () => {
  for (const p of ['accounts/%E0%A4%A', 'accounts/%', 'accounts/admin/teams/%ZZ', 'repositories/admin/%E0%A4%A/tags', 'repositories/%C0/x', 'repositories/admin/x/tags/%E0%A4%A']) {
    for (const method of ['GET', 'DELETE']) {
      const res = await reg.api(method, p);
      assert.equal(res.status, 400, `${method} ${p}`);
      const body = (await res.json()) as { errors: { code: string; message: string }[] };
      assert.match(body.errors[0].message, /percent-encod/, `${method} ${p}`);
    }
  }
});

test('creating the platform account answers as for any reserved name: no 409 confirms it exists', async () => {
  const hidden = await reg.api('POST', 'accounts', { type: 'user', name: PLATFORM_USER, password: 'long-enough-password' });
  const absent = await reg.api('POST', 'accounts', { type: 'organization', name: 'labdock-nothing-here' });
  assert.equal(hidden.status, 400);
  assert.equal(absent.status, 400);
  const [a, b] = (await Promise.all([hidden.json(), absent.json()])) as { errors: { code: string; message: string }[] }[];
  assert.equal(a.errors[0].code, b.errors[0].code);
  assert.equal(a.errors[0].message.replace(PLATFORM_USER, 'X'), b.errors[0].message.replace('labdock-nothing-here', 'X'), 'the same answer, whether the account exists or not');
  assert.equal((await reg.api('GET', `accounts/${PLATFORM_USER}`)).status, 404);
  assert.equal((await reg.api('POST', 'accounts', { type: 'user', name: 'orca', password: 'orca-password' })).status, 201, 'ordinary names still work');
});
