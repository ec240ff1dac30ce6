/**
 * A session's disk budget on the docker provisioner: one sparse ext4 image
 * per session (disk-image.ts), loop-mounted on the host, holding everything
 * the session's nodes can write:
 *
 *   <dir>/<session>/volumes/<volume>   each node's volume (/var/lib/docker, the registry's data),
 *                                      as a local volume bound onto it;
 *   <dir>/<session>/layers/<container> each node's writable layer: the overlay2 upper and work
 *                                      directories, moved here and symlinked back;
 *   <dir>/<session>/containers/<id>    the engine's directory of the container (/etc/hosts,
 *                                      /etc/hostname, /etc/resolv.conf, which the node can write,
 *                                      and its log), moved here and symlinked back.
 *
 *   const disks = sessionDisks({ dir: '/var/lib/labdock/disks/<instance>', budgetBytes, owner });
 *   await disks.prepare('s1');                           // make + mount (refused if the host cannot hold it)
 *   docker.createVolume({ Name, ...await disks.volume('s1', Name) });
 *   const c = await docker.createContainer(…); await disks.adopt('s1', await c.inspect(), engineRoot); await c.start();
 *   await disks.usage('s1');                             // { usedBytes, budgetBytes, full }
 *   await disks.park('s1'); … await disks.unpark('s1');  // paused: its unused budget is not held for it
 *   await disks.remove('s1');                            // after the containers and volumes are gone
 *
 * Symlinks, not bind mounts: the engine unmounts everything under a container's directory
 * when it stops (and a reboot takes every mount), while a symlink stays; the image is
 * mounted again before the engine starts (scripts/labdock-engine.mjs) and before a
 * session's nodes are brought back (restore). If it is not, the symlinks dangle and the
 * nodes fail to start: they never run with their writes going to the host's disk.
 */
import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, rm, statfs, symlink, chown, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { allocatedBytes, createDiskImage, diskUsage, isMounted, mountDiskImage, removeDiskImage } from './disk-image';

const run = promisify(execFile);

export interface SessionDiskOptions {
  /** Where this server's session images and mount points live (one directory per server instance). */
  dir: string;
  budgetBytes: number;
  /** Who root in a node is on the host (userns-remap): owns what nodes write to. null: the host's root. */
  owner: { uid: number; gid: number } | null;
  /** Host space kept free beyond every session's whole budget; a new session that would cut into it is refused. */
  hostReserveBytes?: number;
}

export interface SessionDiskUsage {
  usedBytes: number;
  budgetBytes: number;
  full: boolean;
}

/** What an engine's inspect says about a container, as far as moving its files goes. */
export interface ContainerFiles {
  Id: string;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
}

export class HostDiskFullError extends Error {
  constructor(readonly freeBytes: number, readonly committedBytes: number, readonly budgetBytes: number) {
    super(`the host has no room for another session's disk budget (${mib(freeBytes)} MiB free, ${mib(committedBytes)} MiB promised to live sessions, ${mib(budgetBytes)} MiB asked)`);
    this.name = 'HostDiskFullError';
  }
}

export type SessionDisks = ReturnType<typeof sessionDisks>;

export function sessionDisks(options: SessionDiskOptions) {
  const { dir, budgetBytes } = options;
  const reserve = options.hostReserveBytes ?? 1024 ** 3;
  const image = (id: string) => path.join(dir, `${id}.img`);
  const mountPoint = (id: string) => path.join(dir, id);
  const own = async (p: string) => { if (options.owner) await chown(p, options.owner.uid, options.owner.gid); };

  /** A paused session's nodes are stopped: its image cannot grow until it is resumed (unpark), so it promises nothing. */
  const parkedMarker = (id: string) => path.join(dir, `${id}.paused`);

  /** Bytes the live sessions' images may still take from the host: each one's size less what it holds already. */
  async function committed(): Promise<number> {
    let total = 0;
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.img') || names.includes(name.replace(/\.img$/, '.paused'))) continue;
      const file = path.join(dir, name);
      const s = await stat(file).catch(() => null);
      if (s) total += Math.max(0, s.size - (await allocatedBytes(file)));
    }
    return total;
  }

  /** Moves a directory onto the session disk (cp -a keeps the remapped owners) and leaves a symlink to it. */
  async function relocate(from: string, to: string) {
    if ((await lstat(from)).isSymbolicLink()) return;
    await mkdir(path.dirname(to), { recursive: true, mode: 0o711 });
    await rm(to, { recursive: true, force: true });
    await run('cp', ['-a', '--', from, to]);
    await rm(from, { recursive: true });
    await symlink(to, from);
  }

  /** Refused when the host's free space, less what live sessions may still write, cannot hold `bytes` and the reserve. */
  async function ensureRoom(bytes: number): Promise<void> {
    const host = await statfs(dir);
    const free = host.bavail * host.bsize;
    const promised = await committed();
    if (free - promised < bytes + reserve) throw new HostDiskFullError(free, promised, bytes);
  }

  return {
    budgetBytes,

    /** Makes and mounts the session's image. Refused (HostDiskFullError) when the host could not hold every budget in full. */
    async prepare(sessionId: string): Promise<void> {
      await mkdir(dir, { recursive: true, mode: 0o711 });
      if (await isMounted(mountPoint(sessionId))) return;
      const existing = await stat(image(sessionId)).catch(() => null);
      if (!existing) {
        await ensureRoom(budgetBytes);
        await createDiskImage(image(sessionId), budgetBytes);
      }
      await mountDiskImage(image(sessionId), mountPoint(sessionId));
      await own(mountPoint(sessionId));
    },

    /** The session is paused (its nodes stopped): its unused budget is no longer promised to it. */
    async park(sessionId: string): Promise<void> {
      if (await stat(image(sessionId)).catch(() => null)) await writeFile(parkedMarker(sessionId), '');
    },

    /**
     * Before a paused session's nodes start again: its budget is promised again, if the host can still
     * hold it (HostDiskFullError otherwise, and the session stays paused).
     */
    async unpark(sessionId: string): Promise<void> {
      const img = await stat(image(sessionId)).catch(() => null);
      if (!img || !(await stat(parkedMarker(sessionId)).catch(() => null))) return;
      await ensureRoom(Math.max(0, img.size - (await allocatedBytes(image(sessionId)))));
      await rm(parkedMarker(sessionId), { force: true });
    },

    /** After a restart or reboot: mounts the image again if the session has one. Returns whether it has. */
    async restore(sessionId: string): Promise<boolean> {
      if (!(await stat(image(sessionId)).catch(() => null))) return false;
      await mountDiskImage(image(sessionId), mountPoint(sessionId));
      return true;
    },

    /** createVolume options that put the volume's data on the session disk, owned by the node's root. */
    async volume(sessionId: string, name: string) {
      const device = path.join(mountPoint(sessionId), 'volumes', name);
      await mkdir(device, { recursive: true, mode: 0o755 });
      await own(path.dirname(device));
      await own(device);
      return { Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device } };
    },

    /**
     * Moves a created (not yet started) container's writable layer and engine directory onto
     * the session disk. engineRoot: the engine's data root as `docker info` gives it
     * (with userns-remap, the remapped one). Fails closed: an engine whose files are not on
     * this host, or a storage driver other than overlay2, cannot be bounded.
     */
    async adopt(sessionId: string, container: ContainerFiles, engineRoot: string): Promise<void> {
      const data = container.GraphDriver.Data;
      if (container.GraphDriver.Name !== 'overlay2' || !data?.UpperDir || !data.WorkDir) {
        throw new Error(`disk budgets need the overlay2 storage driver (the engine uses ${container.GraphDriver.Name})`);
      }
      const base = path.join(mountPoint(sessionId), 'layers', container.Id);
      // The upper and work directories each, not the layer's directory: runc refuses a rootfs
      // path through a symlink, and overlay needs upper and work on one filesystem (they are).
      await relocate(data.UpperDir, path.join(base, 'diff'));
      await relocate(data.WorkDir, path.join(base, 'work'));
      await relocate(path.join(engineRoot, 'containers', container.Id), path.join(mountPoint(sessionId), 'containers', container.Id));
    },

    /** null: the session has no disk (made before budgets, or not mounted). */
    async usage(sessionId: string): Promise<SessionDiskUsage | null> {
      if (!(await isMounted(mountPoint(sessionId)))) return null;
      const u = await diskUsage(mountPoint(sessionId));
      return { usedBytes: u.usedBytes, budgetBytes, full: u.full };
    },

    /** Unmounts and deletes the image. The session's containers and volumes must be gone first. Idempotent. */
    async remove(sessionId: string): Promise<void> {
      await removeDiskImage(image(sessionId), mountPoint(sessionId));
      await rm(parkedMarker(sessionId), { force: true });
    },

    /** Sessions that have an image or a mount point left (a crash half-way through destroy leaves either). */
    async list(): Promise<string[]> {
      const ids = new Set<string>();
      for (const name of await readdir(dir).catch(() => [] as string[])) ids.add(name.replace(/\.(img|paused)$/, ''));
      return [...ids];
    },

    mountPoint,
  };
}

function mib(bytes: number): number {
  return Math.floor(bytes / 1024 ** 2);
}
