/**
 * The real server in a child process, for tests that attack it from outside:
 * its own data directory and port, its log kept, its descriptors countable
 * (/proc/<pid>/fd), and the marker watch-uncaught.mjs prints on any uncaught
 * exception.
 *
 *   const server = await startServerProcess({ LABDOCK_LIMITS_MAX_BODY_BYTES: '65536' });
 *   server.url; server.fds(); server.log(); await server.stop();
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  pid: number;
  dataDir: string;
  fds(): number;
  log(): string;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>, options: { dataDir?: string; keepData?: boolean } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'labdock-hostile-'));
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', path.join(import.meta.dirname, 'watch-uncaught.mjs'), 'runtime/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LABDOCK_SERVER_HOST: '127.0.0.1', LABDOCK_SERVER_PORT: '0', LABDOCK_DATA_DIR: dataDir,
      // SQLite in its data directory, whatever DATABASE_URL the caller's shell has: the tests read that file.
      LABDOCK_DATABASE_URL: `file:${path.join(dataDir, 'labdock.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${log}`)), 180_000);
    const look = () => {
      const m = /labdock is ready: (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`server exited with ${code}:\n${log}`))));
  });
  return {
    url,
    pid: child.pid!,
    dataDir,
    fds: () => readdirSync(`/proc/${child.pid}/fd`).length,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
      }
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
