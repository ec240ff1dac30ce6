/**
 * The lab catalog over a labs folder: lists labs with what this server can run,
 * and compiles a lab on demand, cached until its file changes. A broken lab is
 * logged and left out of the list; it never takes the catalog down.
 *
 *   const labs = createLabCatalog({ labsDir: 'labs', engine: { docker: true, local: true } });
 *   await labs.list();        // LabSummary[]
 *   await labs.get('intro');  // CompiledLab | null
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CompiledLab } from './lab-types';
import { LabError } from './lab-types';
import { compileLab, labSource } from './compile-lab';
import type { EngineStatus, LabCatalog, LabSummary } from '../services';

export interface LabCatalogOptions {
  labsDir: string;
  engine: EngineStatus;
  log?: (message: string) => void;
}

export function createLabCatalog(options: LabCatalogOptions): LabCatalog {
  const { labsDir, engine } = options;
  const log = options.log ?? ((m: string) => console.warn(`[labs] ${m}`));
  const cache = new Map<string, { mtimeMs: number; lab: Promise<CompiledLab> }>();

  function get(id: string): Promise<CompiledLab> | null {
    const where = labSource(labsDir, id);
    if (!where || !existsSync(where.file)) return null;
    const mtimeMs = latestChange(path.dirname(where.file));
    const hit = cache.get(id);
    if (hit && hit.mtimeMs === mtimeMs) return hit.lab;
    const lab = compileLab(labsDir, id);
    cache.set(id, { mtimeMs, lab });
    lab.catch(() => cache.delete(id));
    return lab;
  }

  function availability(lab: CompiledLab): Pick<LabSummary, 'available' | 'unavailableReason'> {
    if ((lab.meta.engine === 'docker' || lab.meta.registry) && !engine.docker) return { available: false, unavailableReason: 'needs a Docker engine' };
    if (lab.meta.engine === 'none' && !engine.docker && !engine.local) return { available: false, unavailableReason: 'needs bubblewrap or a Docker engine' };
    return { available: true };
  }

  return {
    async list() {
      if (!existsSync(labsDir)) return [];
      const ids = readdirSync(labsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      const out: LabSummary[] = [];
      for (const id of ids) {
        const pending = get(id);
        if (!pending) continue;
        try {
          const lab = await pending;
          out.push({ ...lab.meta, stepCount: lab.steps.length, ...availability(lab) });
        } catch (err) {
          log(err instanceof LabError ? `skipping lab ${id}:\n${err.message}` : `skipping lab ${id}: ${(err as Error).message}`);
        }
      }
      return out;
    },
    async get(id) {
      return (await get(id)) ?? null;
    },
  };
}

/** Newest mtime in the lab folder, so editing a script invalidates the cache too. */
function latestChange(dir: string): number {
  let latest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? latestChange(p) : statSync(p).mtimeMs);
  }
  return latest;
}
