// labdock's own Docker engine for lab nodes: a second dockerd with user
// namespaces (--userns-remap=default), so that root in a node is an
// unprivileged uid on the host. It has its own socket, data root, exec root,
// pid file, bridge and address pool, and never touches another engine on the
// machine (a dockerd started with `--bridge none` deletes docker0, the first
// engine's bridge; this one gets a bridge of its own instead: architecture.md).
// Plain Node, used by prepare.mjs before `npm install` has run.
//
//   const problem = ensureLabdockEngine({ step, canInstall });   // null when it answers
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ENGINE = {
  socket: '/run/labdock/docker.sock',
  dataRoot: '/var/lib/labdock/docker',
  // Session disk images (config docker.diskDir): mounted before the engine starts.
  disks: '/var/lib/labdock/disks',
  execRoot: '/run/labdock/docker',
  pidfile: '/run/labdock/docker.pid',
  log: '/var/log/labdock-dockerd.log',
  // Its default bridge, made here because dockerd would otherwise create (and own) docker0.
  bridge: 'labdock0',
  bridgeAddress: '10.212.0.1/24',
  // Session networks come from a pool of their own, apart from any other engine's 172.17-31.x.
  pool: 'base=10.213.0.0/16,size=24',
};

export const engineHost = `unix://${ENGINE.socket}`;

function answers() {
  return spawnSync('docker', ['-H', engineHost, 'info'], { stdio: 'ignore' }).status === 0;
}

function ip(args) {
  return spawnSync('ip', args, { encoding: 'utf8' });
}

/**
 * Starts the engine unless it answers. Returns null when it answers, else a
 * message that says what to do. `installDocker()` installs docker.io (root on Debian).
 */
export function ensureLabdockEngine({ step, installDocker }) {
  if (answers()) return null;
  if (process.getuid?.() !== 0) {
    return `labdock's isolating engine is not running and only root can start it: run npm start (or npm test) once as root, or point LABDOCK_DOCKER_SOCKET_PATH at an engine with user namespaces.`;
  }
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd') && !installDocker()) {
    return 'No Docker engine is installed (Debian: apt-get install docker.io iptables); labs that need Docker stay unavailable until then.';
  }
  step(`starting labdock's engine for nodes: dockerd with user namespaces on ${ENGINE.socket} (log: ${ENGINE.log})`);
  if (ip(['link', 'show', ENGINE.bridge]).status !== 0) {
    for (const args of [['link', 'add', ENGINE.bridge, 'type', 'bridge'], ['addr', 'add', ENGINE.bridgeAddress, 'dev', ENGINE.bridge], ['link', 'set', ENGINE.bridge, 'up']]) {
      const r = ip(args);
      if (r.status !== 0) return `could not create the bridge ${ENGINE.bridge} (ip ${args.join(' ')}): ${r.stderr.trim()}`;
    }
  }
  for (const dir of ['/run/labdock', ENGINE.dataRoot]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  mountSessionDisks(step);
  const logFd = openSync(ENGINE.log, 'a');
  const child = spawn('dockerd', [
    '--userns-remap=default',
    '--data-root', ENGINE.dataRoot,
    '--exec-root', ENGINE.execRoot,
    '--pidfile', ENGINE.pidfile,
    '-H', engineHost,
    '--bridge', ENGINE.bridge,
    '--default-address-pool', ENGINE.pool,
    '--storage-driver', 'overlay2',
  ], { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  // First start creates the dockremap user and its subordinate ids: a few seconds.
  for (let i = 0; i < 120; i++) {
    if (answers()) return null;
    if (child.exitCode !== null) break;
    spawnSync('sleep', ['0.5']);
  }
  const tail = spawnSync('tail', ['-n', '20', ENGINE.log], { encoding: 'utf8' }).stdout;
  return `labdock's engine did not start within 60 s; the end of ${ENGINE.log}:\n${tail}`;
}

/**
 * Session disk images (runtime/provisioner/disk/session-disk.ts) hold nodes' writable layers
 * and engine directories through symlinks: they are mounted before the engine starts, so
 * that the nodes it brings back after a reboot find their files (and none writes to the host).
 */
function mountSessionDisks(step) {
  const root = process.env.LABDOCK_DOCKER_DISK_DIR || ENGINE.disks;
  const mounted = new Set(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]));
  for (const instance of existsSync(root) ? readdirSync(root) : []) {
    for (const name of readdirSync(path.join(root, instance)).filter((n) => n.endsWith('.img'))) {
      const target = path.join(root, instance, name.slice(0, -'.img'.length));
      if (mounted.has(target)) continue;
      mkdirSync(target, { recursive: true, mode: 0o711 });
      const r = spawnSync('mount', ['-o', 'loop,discard,noinit_itable,nosuid,nodev', path.join(root, instance, name), target], { encoding: 'utf8' });
      step(r.status === 0 ? `mounted session disk ${target}` : `could not mount session disk ${target}: ${r.stderr.trim()} (its nodes will not start)`);
    }
  }
}
