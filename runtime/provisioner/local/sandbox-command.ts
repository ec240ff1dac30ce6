/**
 * Command lines for local nodes. A node is one long-lived bubblewrap sandbox
 * (own hostname, PID, IPC and network namespaces; only /usr and /etc of the
 * host, read-only; a private home and /tmp). Shells and commands enter it with
 * nsenter and drop to the session's unprivileged learner uid with setpriv, so
 * nothing in a node runs with the server's root privileges, and no two
 * sessions share a uid (signals, per-uid process limits, file ownership).
 * Every process of a node starts inside the node's cgroups (inCgroups), where
 * its memory, pids and CPU limits hold.
 */

/** Learner uids come from this range, one per live session: unprivileged, above any host user's or labdock engine's remapped range. */
export const LEARNER_UID_BASE = 300_000;
export const LEARNER_UID_COUNT = 65_536;
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

/**
 * A prefix that moves itself into each cgroup directory, then execs the rest:
 * the kernel puts every process it starts there too. Fails (125) rather than
 * running a node's process outside its limits.
 *   spawn('/bin/sh', [...inCgroups(dirs), '/usr/bin/bwrap', ...args])
 */
export function inCgroups(dirs: string[]): string[] {
  return ['-c', 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 125; shift; n=$((n-1)); done; exec "$@"', 'labdock-cgroup', String(dirs.length), ...dirs];
}

/** nsenter + setpriv prefix that runs `command` as the learner (`uid`) inside the sandbox whose init is `pid`. */
export function enterArgs(pid: number, uid: number, env: Record<string, string>, command: string[]): string[] {
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
    '/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups',
    '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs',
    '/usr/bin/env', '-i', ...Object.entries(environment).map(([k, v]) => `${k}=${v}`),
    '/bin/sh', '-c', `cd ${LEARNER_HOME} && exec "$@"`, 'enter', ...command,
  ];
}

/** /etc/passwd and /etc/group for the sandbox: the host's, plus the learner with this session's uid. */
export function accountFiles(hostPasswd: string, hostGroup: string, uid: number): { passwd: string; group: string } {
  const keep = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('learner:')).join('\n');
  return {
    passwd: `${keep(hostPasswd)}\nlearner:x:${uid}:${uid}:labdock learner:${LEARNER_HOME}:/bin/bash\n`,
    group: `${keep(hostGroup)}\nlearner:x:${uid}:\n`,
  };
}
