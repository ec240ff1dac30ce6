/**
 * The registry node's small state files (accounts, settings, jobs, scans,
 * policies, webhooks…): JSON on the node's volume, written to a temp file and
 * renamed over the old one, so a crash never leaves half a file.
 *
 *   const jobs = readJson<Job[]>(file, []);
 *   writeJsonAtomic(file, jobs);
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function readJson<T>(file: string, fallback: T): T {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
}

/** `mode` 0o600 for files with secrets (password hashes). */
export function writeJsonAtomic(file: string, data: unknown, options: { mode?: number; pretty?: boolean } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, options.pretty === false ? JSON.stringify(data) : JSON.stringify(data, null, 2), { mode: options.mode ?? 0o644 });
  renameSync(tmp, file);
}
