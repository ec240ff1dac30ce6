/**
 * The base image every labdock image starts from: Debian bookworm. Where the
 * engine already has debian:bookworm-slim it is re-tagged; otherwise (no Docker
 * Hub here) it is built with `debootstrap --variant=minbase` from the host's
 * Debian mirror and `docker import`ed from a tar stream.
 *
 *   await buildBase(docker, baseTag(mirror), mirror, (line) => console.log(line));
 *
 * Callers check that the tag is missing first (ensureImages does): debootstrap
 * takes about a minute and its result never changes for the same recipe.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { BASE_RECIPE } from './image-set';
import { mirrorUnreachable, unreachableMessage } from './debian-mirror';

export { hostDebianMirror } from './debian-mirror';

export type Progress = (line: string) => void;

/** Every file in the base gets this mtime, so two imports of one recipe differ only by debootstrap's own output. */
const FIXED_MTIME = '2024-01-01 00:00:00Z';

export async function buildBase(docker: Docker, tag: string, mirror: string, progress: Progress): Promise<void> {
  const [repo, version] = tag.split(':');
  if (await docker.getImage('debian:bookworm-slim').inspect().catch(() => null)) {
    progress('using debian:bookworm-slim from the engine');
    await docker.getImage('debian:bookworm-slim').tag({ repo, tag: version });
    return;
  }
  if (!existsSync('/usr/sbin/debootstrap')) throw new Error('debootstrap is not installed and debian:bookworm-slim cannot be pulled: apt-get install debootstrap');
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-base-'));
  try {
    const started = Date.now();
    progress(`debootstrap --variant=${BASE_RECIPE.variant} ${BASE_RECIPE.suite} from ${mirror} (about a minute)`);
    await debootstrap(dir, mirror, progress);
    progress(`debootstrap done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // No apt lists in the image: every Dockerfile runs apt-get update itself.
    const lists = path.join(dir, 'var/lib/apt/lists');
    for (const e of readdirSync(lists)) if (e !== 'partial') rmSync(path.join(lists, e), { recursive: true, force: true });
    progress('docker import');
    await importDir(docker, dir, repo, version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function debootstrap(dir: string, mirror: string, progress: Progress): Promise<void> {
  const args = [`--variant=${BASE_RECIPE.variant}`, BASE_RECIPE.suite, dir, mirror];
  return new Promise((resolve, reject) => {
    const child = spawn('debootstrap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let retrieved = 0;
    const onData = (d: Buffer) => {
      output += d.toString();
      for (const l of d.toString().split('\n')) {
        // One line in 20 of the ~100 "Retrieving" lines: enough to show it moves in a CI log.
        if (l.startsWith('I: Retrieving') && retrieved++ % 20 === 0) progress(l.slice(3));
        else if (l.startsWith('I: Installing core') || l.startsWith('I: Base system')) progress(l.slice(3));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      reject(new Error(mirrorUnreachable(output)
        ? unreachableMessage('the base image (debootstrap)', mirror)
        : `debootstrap failed (exit ${code}):\n${output.split('\n').slice(-15).join('\n')}`));
    });
  });
}

/** tar the directory straight into the engine (no temporary archive on disk). */
async function importDir(docker: Docker, dir: string, repo: string, version: string): Promise<void> {
  const tar = spawn('tar', ['--numeric-owner', '--sort=name', `--mtime=${FIXED_MTIME}`, '-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tarErrors = '';
  tar.stderr.on('data', (d: Buffer) => { tarErrors += d.toString(); });
  const tarExit = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
  const stream = await docker.importImage(tar.stdout, { repo, tag: version, changes: ['CMD ["/bin/bash"]', 'ENV LANG=C.UTF-8'] });
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  // A tar that failed half way would leave a truncated base behind its tag: refuse it.
  const code = await tarExit;
  if (code !== 0) {
    await docker.getImage(`${repo}:${version}`).remove().catch(() => undefined);
    throw new Error(`tar of the debootstrap directory failed (exit ${code}): ${tarErrors.trim()}`);
  }
}
