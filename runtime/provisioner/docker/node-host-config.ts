/**
 * The HostConfig a Docker-in-Docker node gets, by how the engine isolates it
 * (engine-isolation.ts). Service nodes (the bundled registry) get none of it:
 * they run as ordinary containers.
 *
 *   const extra = nodeHostConfig(isolation, cgroups?.prepare(session, node, limits));
 *   docker.createContainer({ HostConfig: { ...extra, Binds: [...extra.Binds, `${volume}:/var/lib/docker`] } });
 *
 * userns: every capability and no seccomp/AppArmor/masked paths — all of it
 * now held over namespaces the node owns, not over the host — a private
 * cgroup namespace, and the node's delegated cgroup tree bound at
 * /sys/fs/cgroup. The host's own cgroup tree is never mounted.
 */
import type Docker from 'dockerode';
import type { EngineIsolation } from '../../engine/engine-isolation';
import { dindHostConfig } from '../../images/dind-host-config';
import type { NodeCgroup } from './node-cgroups';

export type NodeHostConfig = Pick<Docker.HostConfig, 'CapAdd' | 'CapDrop' | 'SecurityOpt' | 'CgroupParent' | 'Runtime'> & {
  Binds: string[];
  MaskedPaths?: string[];
  ReadonlyPaths?: string[];
  CgroupnsMode?: 'private' | 'host';
};

export function nodeHostConfig(isolation: EngineIsolation, cgroup: NodeCgroup | null): NodeHostConfig {
  switch (isolation.mode) {
    case 'userns':
      if (!cgroup) throw new Error('a node in a user namespace needs its delegated cgroup');
      // The same privileges as the unisolated form (every capability but the dropped ones, no
      // seccomp/AppArmor/masked paths), now held only inside the node's user namespace; and
      // instead of the host's cgroup tree, the node's own delegated one in a private namespace.
      return { ...dindHostConfig(), CgroupnsMode: 'private', CgroupParent: cgroup.parent, Binds: [...cgroup.binds] };
    case 'sysbox':
      // sysbox-runc virtualises /proc, /sys and cgroups for system containers itself.
      return { Runtime: 'sysbox-runc', Binds: [] };
    case 'none':
      return dindHostConfig();
  }
}
