/**
 * The base image every labdock image starts from: Debian bookworm. Where the
 * engine already has debian:bookworm-slim it is re-tagged; otherwise (no Docker
 * Hub here) it is built with `debootstrap --variant=minbase` from the host's
 * Debian mirror and `docker import`ed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { BASE_RECIPE } from './image-set';

export type Progress = (line: string) => void;

/** The Debian mirror the host's apt uses; debootstrap and apt in images use the same one. */
export function hostDebianMirror(): string {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const m = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+bookworm\b/m.exec(text);
    if (m) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

export async function buildBase(docker: Docker, tag: string, mirror: string, progress: Progress): Promise<void> {
  const slim = await docker.getImage('debian:bookworm-slim').inspect().catch(() => null);
  if (slim) {
    progress('using debian:bookworm-slim from the engine');
    const [repo, version] = tag.split(':');
    await docker.getImage('debian:bookworm-slim').tag({ repo, tag: version });
    return;
  }
  if (!existsSync('/usr/sbin/debootstrap')) throw new Error('debootstrap is not installed and debian:bookworm-slim cannot be pulled: apt-get install debootstrap');
  const dir = mkdtempSync(path.join(tmpdir(), 'labdock-base-'));
  try {
    progress(`debootstrap --variant=${BASE_RECIPE.variant} ${BASE_RECIPE.suite} from ${mirror} (about a minute)`);
    await run('debootstrap', [`--variant=${BASE_RECIPE.variant}`, BASE_RECIPE.suite, dir, mirror], progress, (out) =>
      /Failed getting release file|Couldn't download|Temporary failure resolving|Could not resolve/i.test(out)
        ? `could not reach the Debian mirror ${mirror}: check this machine's network and /etc/apt/sources.list(.d)`
        : null);
    // No apt lists in the image: every Dockerfile runs apt-get update itself.
    for (const e of readdirSync(path.join(dir, 'var/lib/apt/lists'))) if (e !== 'partial') rmSync(path.join(dir, 'var/lib/apt/lists', e), { recursive: true, force: true });
    progress('docker import');
    const tar = spawn('tar', ['--numeric-owner', '--sort=name', '--mtime=2024-01-01', '-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, version] = tag.split(':');
    const stream = (await docker.importImage(tar.stdout as unknown as string, { repo, tag: version, changes: ['CMD ["/bin/bash"]', 'ENV LANG=C.UTF-8'] } as never)) as unknown as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], progress: Progress, explain: (output: string) => string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let lines = 0;
    const onData = (d: Buffer) => {
      output += d.toString();
      for (const l of d.toString().split('\n')) if (l.startsWith('I: Retrieving') || l.startsWith('I: Installing core') || l.startsWith('I: Base system')) {
        if (++lines % 10 === 1 || l.startsWith('I: Base')) progress(l.slice(3));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      reject(new Error(explain(output) ?? `${cmd} failed (exit ${code}):\n${output.split('\n').slice(-15).join('\n')}`));
    });
  });
}
