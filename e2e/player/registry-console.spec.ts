/**
 * The registry console in the lab player, against a real server, engine and
 * registry node: signed in as the session's admin, the learner creates a
 * user, an organization with a team, and a repository with immutable tags
 * and team access — and `curl` in the session's node sees exactly that
 * through the registry API. Signed in as the new user, the console shows the
 * registry as he sees it and his refusals. (The proxy route's own checks:
 * registry-console-proxy.spec.ts.)
 */
import { test, expect } from '@playwright/test';
import { endSession, startLab } from './helpers';
import { adminPassword, execIn, registryFromNode, sessionOf } from './registry-console-helpers';

test.afterEach(async ({ page, request }) => endSession(page, request));

test('registry console: build an organization, team and repository as admin; curl in a node sees it; the new user sees his view', async ({ page, request }) => {
  await startLab(page, 'registry-basics');
  await page.getByTestId('registry-tab').click();
  await expect(page.getByTestId('registry-signed-in')).toHaveText('admin');
  await expect(page.getByTestId('registry-signed-in-role')).toHaveText('admin');

  // A user with no global role.
  await page.getByTestId('registry-section-users').click();
  await page.getByTestId('user-create-name').fill('moby');
  await page.getByTestId('user-create-password').fill('Lab-pass-2026');
  await page.getByTestId('user-create-submit').click();
  await expect(page.getByTestId('user-role-moby')).toHaveValue('none');
  // Global roles change in place, as the registry confirms.
  await page.getByTestId('user-role-moby').selectOption('read-only');
  await expect(page.getByTestId('registry-console-notice')).toContainText("moby's global role is now read-only");
  await page.getByTestId('user-role-moby').selectOption('none');
  await expect(page.getByTestId('registry-console-notice')).toContainText("moby's global role is now none");

  // An organization, a team, a member.
  await page.getByTestId('registry-section-organizations').click();
  await page.getByTestId('org-create-name').fill('engineering');
  await page.getByTestId('org-create-submit').click();
  const org = page.getByTestId('org-engineering');
  await expect(org).toBeVisible();
  await org.getByTestId('team-create-name').fill('core');
  await org.getByTestId('team-create-submit').click();
  await expect(page.getByTestId('team-engineering/core')).toBeVisible();
  await page.getByTestId('member-add-name-engineering/core').fill('moby');
  await page.getByTestId('member-add-submit-engineering/core').click();
  await expect(page.getByTestId('team-engineering/core')).toContainText('moby');

  // A private repository in the organization, made immutable, with the team's read-only access.
  await page.getByTestId('registry-section-repositories').click();
  await page.getByTestId('repo-create-namespace').fill('engineering');
  await page.getByTestId('repo-create-name').fill('barca');
  await page.getByTestId('repo-create-submit').click();
  await expect(page.getByTestId('repo-engineering/barca')).toBeVisible();
  // The checkbox shows the registry's state: it turns on once the registry has answered the PATCH.
  await page.getByTestId('repo-immutable-engineering/barca').click();
  await expect(page.getByTestId('registry-console-notice')).toContainText('immutableTags → true');
  await expect(page.getByTestId('repo-immutable-engineering/barca')).toBeChecked();
  await page.getByTestId('repo-open-engineering/barca').click();
  await page.getByTestId('repo-grant-level-engineering/barca').selectOption('read-only');
  await page.getByTestId('repo-grant-submit-engineering/barca').click();
  await expect(page.getByTestId('repo-access-engineering/barca')).toHaveText('core: read-only');
  // Other settings, saved together.
  await page.getByTestId('repo-setting-scanOnPush-engineering/barca').check();
  await page.getByTestId('repo-setting-tagLimit-engineering/barca').fill('5');
  await page.getByTestId('repo-setting-save-engineering/barca').click();
  await expect(page.getByTestId('registry-console-notice')).toContainText('saved the settings of engineering/barca');
  // The registry has the tags API: the (empty) tag list shows.
  await expect(page.getByTestId('repo-tags-engineering/barca')).toContainText('No tags yet');

  // Tags pushed from a node show in the panel; deleting one in the console removes it in the registry.
  const s = await sessionOf(page);
  const pushed = await execIn(request, s, [
    `echo '${await adminPassword(request, s)}' | docker login dtr.labdock -u admin --password-stdin >/dev/null`,
    'docker pull -q alpine:3.6 >/dev/null',
    'for t in 1 2; do docker tag alpine:3.6 dtr.labdock/engineering/barca:$t && docker push -q dtr.labdock/engineering/barca:$t >/dev/null || exit 1; done',
  ].join(' && '));
  expect(pushed.exitCode, pushed.output).toBe(0);
  await page.getByTestId('repo-open-engineering/barca').click();
  await page.getByTestId('repo-open-engineering/barca').click();
  await expect(page.getByTestId('tag-engineering/barca:1')).toBeVisible();
  // Who pushed it and for which platform, from the registry's tags API.
  await expect(page.getByTestId('tag-engineering/barca:1')).toContainText('admin');
  await expect(page.getByTestId('tag-engineering/barca:1')).toContainText('linux/amd64');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('tag-delete-engineering/barca:2').click();
  await expect(page.getByTestId('registry-console-notice')).toContainText('deleted engineering/barca:2');
  await expect(page.getByTestId('tag-engineering/barca:2')).toHaveCount(0);
  const { tags } = await registryFromNode(request, s, '/api/v0/repositories/engineering/barca/tags');
  expect(tags.map((t: { name: string }) => t.name)).toEqual(['1']);

  // The registry itself, asked from inside the session, agrees.
  const repo = await registryFromNode(request, s, '/api/v0/repositories/engineering/barca');
  expect(repo).toMatchObject({ namespace: 'engineering', name: 'barca', visibility: 'private', immutableTags: true, teamAccess: { core: 'read-only' }, scanOnPush: true, tagLimit: 5 });
  const { teams } = await registryFromNode(request, s, '/api/v0/accounts/engineering/teams');
  expect(teams).toEqual([{ name: 'core', members: ['moby'] }]);
  expect((await registryFromNode(request, s, '/api/v0/accounts/moby')).globalRole).toBe('none');

  // Signed in as moby: his team's repository, no user list, and the registry's refusal in its own words.
  await page.getByTestId('registry-signin-username').fill('moby');
  await page.getByTestId('registry-signin-password').fill('Lab-pass-2026');
  await page.getByTestId('registry-signin-submit').click();
  await expect(page.getByTestId('registry-signed-in')).toHaveText('moby');
  await expect(page.getByTestId('registry-signed-in-role')).toHaveText('user');
  await expect(page.getByTestId('repo-engineering/barca')).toBeVisible();
  await expect(page.getByTestId('repo-immutable-engineering/barca')).toBeChecked();
  await page.getByTestId('repo-immutable-engineering/barca').click();
  await expect(page.getByTestId('registry-console-error')).toContainText('moby may not change the settings of engineering/barca');
  await expect(page.getByTestId('repo-immutable-engineering/barca')).toBeChecked();
  await page.getByTestId('registry-section-users').click();
  await expect(page.getByTestId('registry-console')).toContainText('Only admins create users');
  await expect(page.getByTestId('user-create-name')).toHaveCount(0);
  await expect(page.getByTestId('user-role-moby')).toHaveCount(0);
  expect((await registryFromNode(request, s, '/api/v0/repositories/engineering/barca')).immutableTags).toBe(true);

  // A wrong password is the registry's 401, shown, with no browser login dialog.
  await page.getByTestId('registry-signin-username').fill('moby');
  await page.getByTestId('registry-signin-password').fill('not-his-password');
  await page.getByTestId('registry-signin-submit').click();
  await expect(page.getByTestId('registry-console-error')).toContainText('incorrect username or password');
  await page.getByTestId('registry-use-admin').click();
  await expect(page.getByTestId('registry-signed-in')).toHaveText('admin');

  // The same console on a page of its own, for the same browser (its session cookie).
  await expect(page.getByTestId('registry-console-pop-out')).toHaveAttribute('href', `/sessions/${s.id}/registry`);
  const own = await page.context().newPage();
  await own.goto(`/sessions/${s.id}/registry`);
  await expect(own.getByTestId('registry-signed-in')).toHaveText('admin');
  await expect(own.getByTestId('repo-access-engineering/barca')).toHaveText('core: read-only');
  await own.close();

  // Undoing: revoke the team's access, take moby out of the team — the registry agrees each time.
  await page.getByTestId('registry-section-repositories').click();
  await page.getByTestId('repo-open-engineering/barca').click();
  await page.getByTestId('repo-revoke-engineering/barca/core').click();
  await expect(page.getByTestId('repo-access-engineering/barca')).toHaveText('none');
  expect((await registryFromNode(request, s, '/api/v0/repositories/engineering/barca')).teamAccess).toEqual({});
  await page.getByTestId('registry-section-organizations').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('member-remove-engineering/core/moby').click();
  await expect(page.getByTestId('team-engineering/core')).toContainText('no members');
  expect((await registryFromNode(request, s, '/api/v0/accounts/engineering/teams/core')).members).toEqual([]);

  // A team's access to every repository of the organization.
  await page.getByTestId('namespace-grant-level-engineering').selectOption('read-write');
  await page.getByTestId('namespace-grant-submit-engineering').click();
  await expect(page.getByTestId('namespace-access-engineering')).toContainText('core: read-write');
  const { teamAccessList } = await registryFromNode(request, s, '/api/v0/repositoryNamespaces/engineering/teamAccess');
  expect(teamAccessList).toEqual([{ accessLevel: 'read-write', team: { orgName: 'engineering', name: 'core' } }]);
});
