/**
 * Command lines for local nodes. A node is one long-lived bubblewrap sandbox
 * (own hostname, PID, IPC and network namespaces; only /usr and /etc of the
 * host, read-only; a private home and /tmp). Shells and commands enter it with
 * nsenter and drop to an unprivileged learner account with setpriv, so nothing
 * in a node runs with the server's root privileges.
 */

/** The learner's uid/gid inside every local node: unprivileged, and not a host user's. */
export const LEARNER_UID = 64000;
export const LEARNER_HOME = '/home/learner';

export interface SandboxPaths {
  home: string;
  tmp: string;
  passwd: string;
  group: string;
}

/** bwrap arguments that start a node's sandbox; its init waits forever. */
export function sandboxArgs(hostname: string, paths: SandboxPaths): string[] {
  return [
    '--unshare-pid', '--unshare-uts', '--unshare-ipc', '--unshare-net',
    '--hostname', hostname,
    '--ro-bind', '/usr', '/usr',
    '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin',
    '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64',
    '--ro-bind', '/etc', '/etc',
    '--ro-bind', paths.passwd, '/etc/passwd',
    '--ro-bind', paths.group, '/etc/group',
    '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/run',
    '--perms', '0755', '--dir', '/home',
    '--bind', paths.home, LEARNER_HOME,
    '--bind', paths.tmp, '/tmp',
    '--chdir', '/',
    '--info-fd', '3',
    '--', '/usr/bin/sleep', 'infinity',
  ];
}

/** nsenter + setpriv prefix that runs `command` as the learner inside the sandbox whose init is `pid`. */
export function enterArgs(pid: number, env: Record<string, string>, command: string[]): string[] {
  const environment = {
    HOME: LEARNER_HOME,
    USER: 'learner',
    LOGNAME: 'learner',
    SHELL: '/bin/bash',
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...env,
  };
  return [
    '--target', String(pid), '--mount', '--uts', '--ipc', '--pid', '--net', '--root', '--wd',
    '/usr/bin/setpriv', `--reuid=${LEARNER_UID}`, `--regid=${LEARNER_UID}`, '--clear-groups',
    '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs',
    '/usr/bin/env', '-i', ...Object.entries(environment).map(([k, v]) => `${k}=${v}`),
    '/bin/sh', '-c', `cd ${LEARNER_HOME} && exec "$@"`, 'enter', ...command,
  ];
}

/** /etc/passwd and /etc/group for the sandbox: the host's, plus the learner. */
export function accountFiles(hostPasswd: string, hostGroup: string): { passwd: string; group: string } {
  const keep = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('learner:')).join('\n');
  return {
    passwd: `${keep(hostPasswd)}\nlearner:x:${LEARNER_UID}:${LEARNER_UID}:labdock learner:${LEARNER_HOME}:/bin/bash\n`,
    group: `${keep(hostGroup)}\nlearner:x:${LEARNER_UID}:\n`,
  };
}
