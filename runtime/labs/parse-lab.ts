/**
 * Parses `labs/<id>/lab.mdx` into front matter, steps with their hidden
 * scripts, and the MDX tree the learner sees — without bundling it
 * (compile-lab.ts does that). Problems are collected with file and line rather
 * than thrown at the first one, so `npm run labs:lint` reports them all.
 *
 *   const parsed = parseLab(source, { id: 'intro', file: 'labs/intro/lab.mdx', readScript });
 *   parsed.issues   // [{ file, line, message }]
 *   parsed.tree     // mdast with <Command/> elements and enriched <Step> elements
 *
 * The body is parsed by MDX itself (remark-mdx), with the front matter blanked
 * out rather than cut off, so every position in the tree is a line of the file.
 */
import { createProcessor } from '@mdx-js/mdx';
import type { LabIssue, LabMeta, LabStep } from './lab-types';
import type { MdNode } from './mdast';
import { parseFrontMatter } from './parse-front-matter';
import { transformLabTree } from './transform-lab-tree';

export { KNOWN_IMAGES } from './parse-front-matter';

export interface ParsedLab {
  meta: LabMeta | null;
  steps: LabStep[];
  /** The learner's MDX tree; null when the body is not valid MDX. */
  tree: MdNode | null;
  /** The file with its front matter replaced by blank lines: what the tree was parsed from. */
  body: string;
  issues: LabIssue[];
}

export interface ParseOptions {
  /** Folder name: the front matter's id must match it. */
  id: string;
  /** Path for messages, e.g. labs/intro/lab.mdx. */
  file: string;
  /** Reads a `src=` script relative to the lab folder; null when missing. */
  readScript(relative: string): string | null;
}

export function parseLab(source: string, options: ParseOptions): ParsedLab {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const front = parseFrontMatter(lines, options);
  const issues = [...front.issues];
  const start = front.bodyStart;
  if (start === null) return { meta: null, steps: [], tree: null, body: '', issues };
  const body = [...lines.slice(0, start).map(() => ''), ...lines.slice(start)].join('\n');

  let tree: MdNode;
  try {
    tree = createProcessor({ format: 'mdx' }).parse(body) as MdNode;
  } catch (err) {
    issues.push(mdxSyntaxIssue(err, options.file, lines));
    return { meta: front.meta, steps: [], tree: null, body, issues };
  }
  const { steps, issues: bodyIssues } = transformLabTree(tree, { file: options.file, meta: front.meta, readScript: options.readScript });
  issues.push(...bodyIssues);
  if (steps.length === 0) issues.push({ file: options.file, line: start + 1, message: 'a lab needs at least one <Step id="…" title="…">' });
  issues.sort((a, b) => a.line - b.line);
  return { meta: front.meta, steps, tree, body, issues };
}

/** A micromark/remark-mdx syntax error (a VFileMessage) as an issue at its line; `lines` of the file add a hint. */
export function mdxSyntaxIssue(err: unknown, file: string, lines: string[] = []): LabIssue {
  const e = err as { line?: number; reason?: string; message?: string };
  const reason = e.reason ?? e.message ?? String(err);
  // "Expected a closing tag for `<Step>` (14:1-14:29)": no line of its own, the opening tag's place in the text.
  const opened = /^Expected a closing tag for `<(\w*)[^`]*` \((\d+):\d+-/.exec(reason);
  if (opened) {
    const [, tag, line] = opened;
    return { file, line: Number(line), message: `<${tag}> is never closed: add </${tag}> on a line of its own` };
  }
  const line = e.line ?? 1;
  // `{{hostname.node1}}` in prose: MDX reads it as a JavaScript expression that does not parse.
  const variable = /acorn/.test(reason) ? /\{\{\s*([A-Za-z][\w.-]*)\s*\}\}/.exec(lines[line - 1] ?? '') : null;
  if (variable) return { file, line, message: `{{${variable[1]}}} in prose is a JavaScript expression in MDX: write <Var name="${variable[1]}" /> (or put it in \`code\`)` };
  return { file, line, message: `MDX: ${reason}` };
}
