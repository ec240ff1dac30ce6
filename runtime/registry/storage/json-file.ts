/**
 * The registry node's small state files (accounts, settings, jobs, scans,
 * policies, webhooks…): JSON on the node's volume, written to a temp file and
 * renamed over the old one, so a crash never leaves half a file. Every
 * store of the control plane (accounts, jobs, webhooks, gc, scans, scan
 * settings, promotion policies) is one of these. A store
 * keeps the parsed file and re-reads it only when the file changed (another
 * inode, size or mtime), so a request that asks five questions of the
 * accounts parses them once, and a file replaced from outside is still seen.
 *
 *   const store = openJsonStore<Job[]>(file, () => []);
 *   store.read()                                  // cached; treat as read-only
 *   store.update((jobs) => jobs.push(job));       // on a copy, written atomically
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `mode` 0o600 for files with secrets (password hashes). */
export function writeJsonAtomic(file: string, data: unknown, options: { mode?: number; pretty?: boolean } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, options.pretty === false ? JSON.stringify(data) : JSON.stringify(data, null, 2), { mode: options.mode ?? 0o644 });
  renameSync(tmp, file);
}

export interface JsonStore<T> {
  /** The current contents, shared between callers: do not change it (use update). */
  read(): T;
  /** Changes a copy and writes it; a change that throws writes nothing. */
  update<R>(change: (data: T) => R): R;
}

/** `fresh` gives the contents of a missing file, and fills in fields an older file lacks (`{...fresh(), ...file}`) when `merge` is set. */
export function openJsonStore<T>(file: string, fresh: () => T, options: { mode?: number; pretty?: boolean; merge?: boolean } = {}): JsonStore<T> {
  let cached: { key: string; data: T } | null = null;
  const keyOf = () => {
    const s = statSync(file, { throwIfNoEntry: false });
    return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'missing';
  };
  function read(): T {
    const key = keyOf();
    if (cached?.key === key) return cached.data;
    const parsed = key === 'missing' ? fresh() : (JSON.parse(readFileSync(file, 'utf8')) as T);
    const data = options.merge && key !== 'missing' ? ({ ...fresh(), ...parsed } as T) : parsed;
    cached = { key, data };
    return data;
  }
  return {
    read,
    update(change) {
      const data = structuredClone(read());
      const result = change(data);
      writeJsonAtomic(file, data, options);
      cached = { key: keyOf(), data };
      return result;
    },
  };
}
