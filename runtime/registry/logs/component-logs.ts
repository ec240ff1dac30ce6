/**
 * Recent logs of each part of the registry node (seed 001 Task 5): the back
 * ends write files (Distribution to /var/log/distribution.log…), the control
 * plane keeps its own lines in memory. Only the tail of a file is read, so a
 * large log costs nothing.
 *
 *   const logs = createComponentLogs({ distribution: '/var/log/distribution.log' });
 *   logs.write('control-plane', 'listening on :443');
 *   logs.tail('distribution', 100)   // the last 100 lines
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes read from the end of a file: enough for ~1000 typical log lines. */
const TAIL_BYTES = 256 * 1024;
const MEMORY_LINES = 1000;

export function createComponentLogs(files: Record<string, string>) {
  const memory = new Map<string, string[]>();

  function tailFile(file: string, lines: number): string[] {
    if (!existsSync(file)) return [];
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, TAIL_BYTES);
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, size - length);
      const all = buf.toString('utf8').split('\n');
      if (length < size) all.shift(); // the first line was cut
      if (all[all.length - 1] === '') all.pop();
      return all.slice(-lines);
    } finally {
      closeSync(fd);
    }
  }

  return {
    components: () => [...new Set([...Object.keys(files), ...memory.keys()])].sort(),
    write(component: string, line: string): void {
      const list = memory.get(component) ?? [];
      list.push(`${new Date().toISOString()} ${line}`);
      if (list.length > MEMORY_LINES) list.splice(0, list.length - MEMORY_LINES);
      memory.set(component, list);
    },
    /** The last `lines` lines of a component, or null for an unknown component. */
    tail(component: string, lines: number): string[] | null {
      if (files[component]) return tailFile(files[component], lines);
      const list = memory.get(component);
      return list ? list.slice(-lines) : null;
    },
  };
}

export type ComponentLogs = ReturnType<typeof createComponentLogs>;
