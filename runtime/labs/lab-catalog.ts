/**
 * The lab catalog over a labs folder: lists labs with what this server can run,
 * and compiles a lab on demand, cached until a file in its folder changes. A
 * broken lab is logged once per change and left out of the list; it never
 * takes the catalog down.
 *
 *   const labs = createLabCatalog({ labsDir: 'labs', engine: { docker: true, local: true } });
 *   await labs.list();        // LabSummary[]
 *   await labs.get('intro');  // CompiledLab | null; throws LabError for a broken lab
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabError, type CompiledLab } from './lab-types';
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
  // Per lab: the folder's newest mtime and the compilation for it (a LabError stays cached too, so it is logged once).
  const cache = new Map<string, { mtimeMs: number; lab: Promise<CompiledLab> }>();

  /** null when there is no such lab (including ids that are not lab ids, such as `../etc`). */
  function load(id: string): Promise<CompiledLab> | null {
    const where = labSource(labsDir, id);
    if (!where || !existsSync(where.file)) return null;
    const mtimeMs = latestChange(path.dirname(where.file));
    const hit = cache.get(id);
    if (hit && hit.mtimeMs === mtimeMs) return hit.lab;
    const lab = compileLab(labsDir, id);
    cache.set(id, { mtimeMs, lab });
    lab.catch((err: unknown) => {
      if (err instanceof LabError) log(`lab ${id} is broken and not listed:\n${err.message}`);
      else {
        // Not the lab's fault (e.g. esbuild failed to start): try again next time.
        log(`lab ${id} failed to compile: ${(err as Error).stack ?? String(err)}`);
        if (cache.get(id)?.lab === lab) cache.delete(id);
      }
    });
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
        try {
          const lab = await load(id);
          if (lab) out.push({ ...lab.meta, stepCount: lab.steps.length, stepIds: lab.steps.map((s) => s.id), ...availability(lab) });
        } catch {
          // Logged by load(); a broken lab is simply not listed.
        }
      }
      return out;
    },
    async get(id) {
      return (await load(id)) ?? null;
    },
  };
}

/** Newest mtime in the lab folder, so editing a src= script invalidates the cache too. */
function latestChange(dir: string): number {
  let latest = lstatSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? latestChange(p) : lstatSync(p).mtimeMs);
  }
  return latest;
}
