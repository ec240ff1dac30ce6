/**
 * data-testid values of the registry console, in one place so Playwright
 * specs and lab regression suites agree with the components. Stable.
 */
export const consoleIds = {
  tab: 'registry-tab',
  root: 'registry-console',
  error: 'registry-console-error',
  notice: 'registry-console-notice',
  signedIn: 'registry-signed-in',
  role: 'registry-signed-in-role',
  signInUser: 'registry-signin-username',
  signInPassword: 'registry-signin-password',
  signIn: 'registry-signin-submit',
  useAdmin: 'registry-use-admin',
  section: (name: 'repositories' | 'organizations' | 'users') => `registry-section-${name}`,
  repoCreate: (field: 'namespace' | 'name' | 'visibility' | 'submit') => `repo-create-${field}`,
  repo: (full: string) => `repo-${full}`,
  repoVisibility: (full: string) => `repo-visibility-${full}`,
  repoImmutable: (full: string) => `repo-immutable-${full}`,
  repoAccess: (full: string) => `repo-access-${full}`,
  repoOpen: (full: string) => `repo-open-${full}`,
  repoGrant: (full: string, field: 'team' | 'level' | 'submit') => `repo-grant-${field}-${full}`,
  repoTags: (full: string) => `repo-tags-${full}`,
  orgCreate: (field: 'name' | 'submit') => `org-create-${field}`,
  org: (name: string) => `org-${name}`,
  orgOpen: 'org-open-name',
  teamCreate: (field: 'name' | 'submit') => `team-create-${field}`,
  team: (org: string, team: string) => `team-${org}/${team}`,
  memberAdd: (org: string, team: string, field: 'name' | 'submit') => `member-add-${field}-${org}/${team}`,
  userCreate: (field: 'name' | 'password' | 'role' | 'submit') => `user-create-${field}`,
  user: (name: string) => `user-${name}`,
} as const;
