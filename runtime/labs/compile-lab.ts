/**
 * Compiles one lab folder into a CompiledLab: parse (parse-lab.ts), then
 * mdx-bundler turns the learner-facing MDX into code the player renders with
 * getMDXComponent(code). Throws LabError listing every problem with file:line.
 *
 *   const lab = await compileLab('/srv/labdock/labs', 'intro');
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleMDX } from 'mdx-bundler';
import { LabError, type CompiledLab, type LabIssue } from './lab-types';
import { parseLab } from './parse-lab';

export const LAB_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface LabSource {
  file: string;
  display: string;
}

/** Where a lab's MDX lives; null for ids that are not lab ids (no path escapes). */
export function labSource(labsDir: string, id: string): LabSource | null {
  if (!LAB_ID.test(id)) return null;
  const file = path.join(labsDir, id, 'lab.mdx');
  return { file, display: path.join(path.basename(labsDir), id, 'lab.mdx') };
}

export async function compileLab(labsDir: string, id: string): Promise<CompiledLab> {
  const where = labSource(labsDir, id);
  if (!where || !existsSync(where.file)) throw new LabError([{ file: where?.display ?? id, line: 0, message: `no lab ${id}` }]);
  const dir = path.dirname(where.file);
  const parsed = parseLab(readFileSync(where.file, 'utf8'), {
    id,
    file: where.display,
    readScript: (relative) => {
      const full = path.resolve(dir, relative);
      if (!full.startsWith(dir + path.sep) || !existsSync(full)) return null;
      return readFileSync(full, 'utf8');
    },
  });
  if (parsed.issues.length || !parsed.meta) throw new LabError(parsed.issues);
  let code: string;
  try {
    ({ code } = await bundleMDX({ source: parsed.body, cwd: dir }));
  } catch (err) {
    throw new LabError(mdxIssues(err, where.display));
  }
  return { meta: parsed.meta, steps: parsed.steps, code };
}

/** esbuild/MDX errors carry positions in the transformed body; report them against the file. */
function mdxIssues(err: unknown, file: string): LabIssue[] {
  const e = err as { errors?: { text: string; location?: { line: number } | null }[]; message?: string };
  if (e.errors?.length) return e.errors.map((x) => ({ file, line: x.location?.line ?? 0, message: `MDX: ${x.text}` }));
  return [{ file, line: 0, message: `MDX: ${e.message ?? String(err)}` }];
}
