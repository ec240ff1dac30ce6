/**
 * How a labdock node (Docker-in-Docker) must run on these machines.
 * `--privileged` is refused here (CAP_SYS_RESOURCE is not in the bounding
 * set; see architecture.md); what works is every other capability with the
 * confinement lifted, plus the host's cgroup tree for the inner dockerd.
 *
 *   docker.createContainer({ Image: tags.node, HostConfig: {
 *     ...dindHostConfig(),
 *     Binds: [...dindHostConfig().Binds, `${volume}:${DIND_DATA_DIR}`],   // overlay2 needs a volume there
 *   } });
 *
 * The CLI equivalent: --cap-add ALL --cap-drop SYS_RESOURCE (and the rest of DIND_DROPPED_CAPABILITIES) --security-opt seccomp=unconfined
 *   --security-opt apparmor=unconfined --security-opt systempaths=unconfined -v /sys/fs/cgroup:/sys/fs/cgroup:rw
 */
import type Docker from 'dockerode';

export type DindHostConfig = Pick<Docker.HostConfig, 'CapAdd' | 'CapDrop' | 'SecurityOpt'> & {
  Binds: string[];
  MaskedPaths: string[];
  ReadonlyPaths: string[];
};

/** Where the node's dockerd keeps its data: must be a volume (overlay2 cannot sit on the container's own overlay). */
export const DIND_DATA_DIR = '/var/lib/docker';

/**
 * Capabilities a node's dockerd (and the containers it runs) never needs, and
 * that reach past the node into the host's kernel: loading modules, raw I/O,
 * the host clock, kexec, kernel logs, audit and MAC policy, process
 * accounting, immutable files, leases,
 * alarms and suspend. Dropped so a learner who is root in a node holds less.
 * (SYS_RESOURCE is not in this machine's bounding set to begin with.)
 */
export const DIND_DROPPED_CAPABILITIES = [
  'SYS_RESOURCE', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_TIME', 'SYS_BOOT', 'SYSLOG', 'MAC_ADMIN', 'MAC_OVERRIDE',
  'AUDIT_CONTROL', 'AUDIT_READ', 'SYS_PACCT', 'LINUX_IMMUTABLE', 'LEASE', 'WAKE_ALARM', 'BLOCK_SUSPEND',
];

/** A fresh object each call, so callers may extend Binds without sharing state. */
export function dindHostConfig(): DindHostConfig {
  return {
    CapAdd: ['ALL'],
    CapDrop: [...DIND_DROPPED_CAPABILITIES],
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    // The API form of the CLI's --security-opt systempaths=unconfined: nothing masked under /proc or /sys.
    MaskedPaths: [],
    ReadonlyPaths: [],
    Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
  };
}
