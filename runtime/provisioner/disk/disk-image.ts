/**
 * A bounded filesystem in a file: a sparse ext4 image, loop-mounted on the
 * host. Whatever is written under the mount point stops at the image's size
 * with ENOSPC, whoever writes it, and the file only takes on the host what
 * was written into it (sparse, and mounted with `discard` so deleting inside
 * gives the space back to the host).
 *
 *   await createDiskImage('/var/lib/labdock/disks/x/s1.img', 4 * 1024 ** 3);
 *   await mountDiskImage('/var/lib/labdock/disks/x/s1.img', '/var/lib/labdock/disks/x/s1');
 *   (await diskUsage('/var/lib/labdock/disks/x/s1')).usedBytes;
 *   await removeDiskImage('/var/lib/labdock/disks/x/s1.img', '/var/lib/labdock/disks/x/s1');
 *
 * Needs root (mount, loop devices). ext4 rather than XFS: mkfs.ext4 is in
 * every Debian base system (e2fsprogs), makes a 4 GiB image in ~10 ms, and
 * its lazy inode tables stay unwritten on a sparse file (noinit_itable).
 */
import { execFile } from 'node:child_process';
import { mkdir, open, readFile, rm, rmdir, statfs, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DiskUsage {
  /** Bytes in use inside the filesystem (data and metadata). */
  usedBytes: number;
  /** What the filesystem can hold in all: the budget, less ext4's own metadata. */
  totalBytes: number;
  /** Bytes a writer can still use. */
  availableBytes: number;
  /** Less than FULL_MARGIN left: the next write of any size is likely to fail. */
  full: boolean;
}

/** Below this much free, a disk counts as full: ext4 refuses writes a few blocks before zero. */
const FULL_MARGIN = 8 * 1024 * 1024;

/** Makes the sparse image file and an ext4 filesystem in it (no reserved blocks, lazy metadata). */
export async function createDiskImage(image: string, bytes: number): Promise<void> {
  await mkdir(path.dirname(image), { recursive: true, mode: 0o700 });
  // 'wx': never reuse a file that is there (a half-made image from a crash is removed first by the caller).
  const file = await open(image, 'wx', 0o600);
  try {
    await file.truncate(bytes);
  } finally {
    await file.close();
  }
  // -m 0: no blocks reserved for root (the node's root is not the host's, and the budget is the whole image).
  // nodiscard: mkfs must not walk the file; it is sparse already.
  await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-L', 'labdock', '-E', 'lazy_itable_init=1,lazy_journal_init=1,nodiscard', image]);
}

/** Mounts the image at mountPoint unless something is mounted there already. */
export async function mountDiskImage(image: string, mountPoint: string): Promise<void> {
  if (await isMounted(mountPoint)) return;
  await mkdir(mountPoint, { recursive: true, mode: 0o711 });
  // discard: files deleted inside punch holes in the image, so a session's footprint on the host follows its use.
  // noinit_itable: the kernel does not zero the lazy inode tables (they read as zeros from a sparse file).
  // nosuid, nodev: nothing on it is a host program or device.
  await run('mount', ['-o', 'loop,discard,noinit_itable,nosuid,nodev', image, mountPoint]).catch(async (err: Error) => {
    // Mounted meanwhile by another caller (a restore racing a resume): what was asked for is done.
    if (!(await isMounted(mountPoint))) throw err;
  });
}

/** Unmounts (the loop device goes with it), detaches any loop device left on the image, deletes both. Idempotent. */
export async function removeDiskImage(image: string, mountPoint: string): Promise<void> {
  if (await isMounted(mountPoint)) await run('umount', [mountPoint]);
  // A crash between losetup and mount, or an older `losetup` without autoclear, can leave one attached.
  const attached = await run('losetup', ['-j', image, '-O', 'NAME', '-n']).then((r) => r.stdout.split('\n').map((l) => l.trim()).filter(Boolean), () => []);
  for (const device of attached) await run('losetup', ['-d', device]);
  await rm(image, { force: true });
  await rmdir(mountPoint).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; });
}

/** Is a filesystem mounted exactly at this path (per this process's mount table)? */
export async function isMounted(mountPoint: string): Promise<boolean> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  const target = path.resolve(mountPoint);
  // Field 5 is the mount point, with spaces and the like octal-escaped.
  return table.split('\n').some((line) => unescapeMount(line.split(' ')[4] ?? '') === target);
}

export async function diskUsage(mountPoint: string): Promise<DiskUsage> {
  const s = await statfs(mountPoint);
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  const availableBytes = s.bavail * s.bsize;
  return { usedBytes, totalBytes: s.blocks * s.bsize, availableBytes, full: availableBytes < FULL_MARGIN };
}

/** Bytes the image file takes on the host (its allocated blocks, not its apparent size). */
export async function allocatedBytes(image: string): Promise<number> {
  return (await stat(image)).blocks * 512;
}

function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
