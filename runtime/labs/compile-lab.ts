/**
 * Compiles one lab folder into a CompiledLab: parse-lab.ts reads and checks it
 * and rewrites its MDX tree, then mdx-bundler (esbuild) turns that tree into
 * code the player renders with getMDXComponent(code). Throws LabError listing
 * every problem with file:line.
 *
 *   const lab = await compileLab('/srv/labdock/labs', 'intro');
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundleMDX } from 'mdx-bundler';
import { LabError, type CompiledLab, type LabIssue } from './lab-types';
import { mdxSyntaxIssue, parseLab, type ParsedLab } from './parse-lab';
import { LAB_ID_PATTERN } from './parse-front-matter';

export interface LabSource {
  /** Absolute path of lab.mdx. */
  file: string;
  /** How messages name it: relative to the working directory when inside it (`labs/intro/lab.mdx`). */
  display: string;
}

/** Where a lab's MDX lives; null for ids that are not lab ids, so no id can leave labsDir. */
export function labSource(labsDir: string, id: string, cwd = process.cwd()): LabSource | null {
  if (!LAB_ID_PATTERN.test(id)) return null;
  const file = path.resolve(labsDir, id, 'lab.mdx');
  const relative = path.relative(cwd, file);
  const display = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return { file, display: display.split(path.sep).join('/') };
}

/** Reads and checks a lab without bundling it (what the linter and the compiler share). */
export function readLab(labsDir: string, id: string): { source: LabSource; parsed: ParsedLab } {
  const source = labSource(labsDir, id);
  if (!source || !existsSync(source.file)) throw new LabError([{ file: source?.display ?? id, line: 0, message: `no lab ${id}` }]);
  const dir = path.dirname(source.file);
  const parsed = parseLab(readFileSync(source.file, 'utf8'), { id, file: source.display, readScript: (relative) => readInside(dir, relative) });
  return { source, parsed };
}

export async function compileLab(labsDir: string, id: string): Promise<CompiledLab> {
  const { source, parsed } = readLab(labsDir, id);
  const { meta, tree } = parsed;
  if (parsed.issues.length || !meta || !tree) throw new LabError(parsed.issues);
  let code: string;
  try {
    ({ code } = await bundleMDX({
      source: parsed.body,
      cwd: path.dirname(source.file),
      // The tree parse-lab already checked and rewrote replaces the one MDX parses again from the same text.
      mdxOptions: (options) => ({ ...options, remarkPlugins: [...(options.remarkPlugins ?? []), () => () => tree as never] }),
      // Errors come back as LabError; esbuild need not print them too.
      esbuildOptions: (options) => ({ ...options, logLevel: 'silent', minify: true }),
    }));
  } catch (err) {
    throw new LabError(bundleIssues(err, source.display));
  }
  return { meta, steps: parsed.steps, code };
}

/** A `src=` script: a regular file whose real path stays inside the lab folder, or null. */
function readInside(dir: string, relative: string): string | null {
  try {
    const root = realpathSync(dir);
    const full = realpathSync(path.resolve(dir, relative));
    if (!full.startsWith(root + path.sep) || !statSync(full).isFile()) return null;
    return readFileSync(full, 'utf8');
  } catch {
    return null;
  }
}

/** esbuild wraps MDX errors; the position inside them is a line of the lab file (front matter blanked, not cut). */
function bundleIssues(err: unknown, file: string): LabIssue[] {
  const e = err as { errors?: { text: string; detail?: unknown; location?: { line: number } | null }[] };
  if (!e.errors?.length) return [mdxSyntaxIssue(err, file)];
  return e.errors.map((x) => {
    const cause = (x.detail as { cause?: unknown } | undefined)?.cause;
    if (cause) return mdxSyntaxIssue(cause, file);
    return { file, line: x.location?.line ?? 0, message: `MDX: ${x.text.split('\n').slice(-1)[0].trim()}` };
  });
}
