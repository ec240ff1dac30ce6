/**
 * Validates every lab in a folder: front matter, steps, scripts, MDX. Returns
 * all problems as file:line issues rather than stopping at the first.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabError, type LabIssue } from './lab-types';
import { compileLab } from './compile-lab';

export interface LintReport {
  labs: string[];
  issues: LabIssue[];
}

export async function lintLabs(labsDir: string): Promise<LintReport> {
  if (!existsSync(labsDir)) return { labs: [], issues: [{ file: labsDir, line: 0, message: 'labs folder does not exist' }] };
  const labs: string[] = [];
  const issues: LabIssue[] = [];
  for (const entry of readdirSync(labsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const display = path.join(path.basename(labsDir), entry.name);
    if (!existsSync(path.join(labsDir, entry.name, 'lab.mdx'))) {
      issues.push({ file: display, line: 0, message: 'lab folder has no lab.mdx' });
      continue;
    }
    labs.push(entry.name);
    try {
      await compileLab(labsDir, entry.name);
    } catch (err) {
      if (err instanceof LabError) issues.push(...err.issues);
      else issues.push({ file: path.join(display, 'lab.mdx'), line: 0, message: (err as Error).message });
    }
  }
  return { labs, issues };
}
