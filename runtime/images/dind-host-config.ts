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
 * The CLI equivalent: --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined
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

/** A fresh object each call, so callers may extend Binds without sharing state. */
export function dindHostConfig(): DindHostConfig {
  return {
    CapAdd: ['ALL'],
    CapDrop: ['SYS_RESOURCE'],
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    // The API form of the CLI's --security-opt systempaths=unconfined: nothing masked under /proc or /sys.
    MaskedPaths: [],
    ReadonlyPaths: [],
    Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
  };
}
