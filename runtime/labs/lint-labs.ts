/**
 * Validates every lab in a folder — front matter, steps, scripts, MDX — by
 * compiling it exactly as the server does, and returns every problem as a
 * file:line issue rather than stopping at the first.
 *
 *   const report = await lintLabs('labs');
 *   report.issues   // [{ file: 'labs/intro/lab.mdx', line: 12, message: '…' }]
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabError, type LabIssue } from './lab-types';
import { compileLab, labSource } from './compile-lab';

export interface LintReport {
  /** Lab folders found (with a lab.mdx), sorted. */
  labs: string[];
  issues: LabIssue[];
  /** Compile time per lab, in milliseconds. */
  timings: Record<string, number>;
}

export async function lintLabs(labsDir: string): Promise<LintReport> {
  const report: LintReport = { labs: [], issues: [], timings: {} };
  if (!existsSync(labsDir)) {
    report.issues.push({ file: labsDir, line: 0, message: 'labs folder does not exist' });
    return report;
  }
  const folders = readdirSync(labsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const id of folders) {
    const source = labSource(labsDir, id);
    if (!source) {
      report.issues.push({ file: path.join(labsDir, id), line: 0, message: 'lab folder names are lowercase letters, digits and dashes' });
      continue;
    }
    if (!existsSync(source.file)) {
      report.issues.push({ file: source.display, line: 0, message: 'lab folder has no lab.mdx' });
      continue;
    }
    report.labs.push(id);
    const started = performance.now();
    try {
      await compileLab(labsDir, id);
    } catch (err) {
      if (err instanceof LabError) report.issues.push(...err.issues);
      else report.issues.push({ file: source.display, line: 0, message: (err as Error).message });
    }
    report.timings[id] = Math.round(performance.now() - started);
  }
  return report;
}
