/**
 * Parses `labs/<id>/lab.mdx` into front matter, steps with their scripts, and
 * the MDX the learner sees — without compiling it (compile-lab.ts does that).
 * Every problem is collected with its file and line rather than thrown at the
 * first one, so `npm run labs:lint` can report them all.
 *
 *   const parsed = parseLab(source, { id: 'intro', file: 'labs/intro/lab.mdx', readScript });
 *   parsed.issues   // [{ file, line, message }]
 *   parsed.body     // MDX with <Command/> elements and enriched <Step> tags
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { LabIssue, LabMeta, LabScript, LabStep, ScriptKind } from './lab-types';

/** Node images a lab may name; grows as runtime/images gains images. */
export const KNOWN_IMAGES = ['node'] as const;

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lowercase letters, digits and dashes, starting with a letter (max 31)');

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes'),
  title: z.string().min(1).max(120),
  summary: z.string().min(1).max(500),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  duration: z.union([z.number().int().positive(), z.string().regex(/^\d+\s*(m|min|h)$/, 'use minutes like 15m or hours like 1h')]),
  topics: z.array(z.string().min(1)).default([]),
  engine: z.enum(['none', 'docker']).default('docker'),
  nodes: z.array(z.object({
    name,
    image: z.string().default('node'),
    role: z.string().optional(),
  }).strict()).min(1, 'a lab needs at least one node'),
  registry: z.boolean().default(false),
  variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'variable names are letters, digits, _ and -'), z.union([z.string(), z.number()]).transform(String)).default({}),
}).strict();

export interface ParsedLab {
  meta: LabMeta | null;
  steps: LabStep[];
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

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const STEP_OPEN = /^<Step\b([^>]*?)>\s*$/;
const STEP_CLOSE = /^<\/Step>\s*$/;
const SCRIPT_KINDS: ScriptKind[] = ['check', 'solve', 'setup'];

export function parseLab(source: string, options: ParseOptions): ParsedLab {
  const { file } = options;
  const issues: LabIssue[] = [];
  const issue = (line: number, message: string) => issues.push({ file, line, message });
  const lines = source.replace(/\r\n/g, '\n').split('\n');

  // Front matter: between the first two `---` lines.
  if (lines[0]?.trim() !== '---') {
    issue(1, 'a lab starts with front matter between --- lines');
    return { meta: null, steps: [], body: '', issues };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) {
    issue(1, 'front matter is not closed with ---');
    return { meta: null, steps: [], body: '', issues };
  }
  const meta = parseFrontMatter(lines.slice(1, end).join('\n'), 2, options, issue);

  // Body: steps, fenced blocks, everything else passes through.
  const out: string[] = [];
  const steps: LabStep[] = [];
  let step: (LabStep & { line: number }) | null = null;
  const nodeNames = new Set(meta?.nodes.map((n) => n.name) ?? []);
  const stepIds = new Set<string>();

  for (let i = end + 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      const [, indent, marker, info] = fence;
      const closeAt = findFenceEnd(lines, i + 1, marker);
      if (closeAt < 0) issue(lineNo, `code block opened here is never closed with ${marker}`);
      const last = closeAt < 0 ? lines.length : closeAt;
      const code = lines.slice(i + 1, last).map((l) => l.startsWith(indent) ? l.slice(indent.length) : l).join('\n');
      const block = parseInfo(info.trim());
      const start = i;
      i = last;
      if (!block.kind) {
        // An ordinary code block: shown as written.
        out.push(...lines.slice(start, Math.min(last + 1, lines.length)));
        continue;
      }
      if (block.node && !nodeNames.has(block.node) && meta) issue(lineNo, `unknown node "${block.node}": this lab's nodes are ${[...nodeNames].join(', ')}`);
      if (SCRIPT_KINDS.includes(block.kind as ScriptKind)) {
        const kind = block.kind as ScriptKind;
        if (!step) {
          issue(lineNo, `a ${kind} block must be inside a <Step>`);
          continue;
        }
        const node = block.node ?? (nodeNames.size === 1 ? [...nodeNames][0] : undefined);
        if (!node) {
          issue(lineNo, `${kind} block needs node=<name>: this lab has several nodes`);
          continue;
        }
        let script = code;
        let origin = `${file}:${lineNo}`;
        if (block.src) {
          const read = options.readScript(block.src);
          if (read === null) issue(lineNo, `script ${block.src} does not exist in the lab folder`);
          script = read ?? '';
          origin = `${file.replace(/lab\.mdx$/, '')}${block.src}`;
        } else if (!code.trim()) {
          issue(lineNo, `${kind} block is empty`);
        }
        const list: LabScript[] = kind === 'check' ? step.checks : kind === 'solve' ? step.solves : step.setups;
        list.push({ kind, node, source: script, origin });
        continue;
      }
      if (block.kind === 'run' && !block.node && nodeNames.size > 1) issue(lineNo, 'run block needs node=<name>: this lab has several nodes');
      const node = block.node ?? (nodeNames.size === 1 ? [...nodeNames][0] : undefined);
      const props = [
        node ? `node=${JSON.stringify(node)}` : '',
        `mode=${JSON.stringify(block.kind)}`,
        block.interrupt ? 'interrupt={true}' : '',
        block.lang ? `lang=${JSON.stringify(block.lang)}` : '',
        `code={${JSON.stringify(code)}}`,
      ].filter(Boolean).join(' ');
      out.push('', `${indent}<Command ${props} />`, '');
      continue;
    }

    const open = STEP_OPEN.exec(line);
    if (open) {
      if (step) issue(lineNo, `<Step> inside <Step> (the one opened at line ${step.line} is not closed)`);
      const attrs = parseAttributes(open[1]);
      const id = attrs.id ?? '';
      if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) issue(lineNo, '<Step> needs id="…" (lowercase letters, digits, dashes)');
      else if (stepIds.has(id)) issue(lineNo, `duplicate step id "${id}"`);
      stepIds.add(id);
      if (!attrs.title) issue(lineNo, '<Step> needs title="…"');
      step = { id, title: attrs.title ?? id, index: steps.length, checks: [], solves: [], setups: [], autoCheck: 'auto' in attrs, line: lineNo };
      // Placeholder: hasCheck is only known at </Step>; patched below.
      out.push(`\u0000STEP${steps.length}\u0000`, '');
      continue;
    }
    if (STEP_CLOSE.test(line)) {
      if (!step) {
        issue(lineNo, '</Step> without an open <Step>');
        continue;
      }
      closeStep(step, steps, issue);
      step = null;
      out.push('', '</Step>');
      continue;
    }
    out.push(line);
  }
  if (step) {
    issue(step.line, `<Step id="${step.id}"> is never closed with </Step>`);
    closeStep(step, steps, issue);
    out.push('', '</Step>');
  }
  if (meta && steps.length === 0) issue(end + 2, 'a lab needs at least one <Step>');

  const body = out.join('\n').replace(/\u0000STEP(\d+)\u0000/g, (_, n: string) => {
    const s = steps[Number(n)];
    return `<Step id=${JSON.stringify(s.id)} title=${JSON.stringify(s.title)} index={${s.index}} hasCheck={${s.checks.length > 0}} autoCheck={${s.autoCheck}}>`;
  });
  return { meta, steps, body, issues };
}

function closeStep(step: LabStep & { line: number }, steps: LabStep[], issue: (line: number, message: string) => void) {
  if (step.checks.length === 0) issue(step.line, `step "${step.id}" has no check: every step needs a check block that inspects state`);
  if (step.checks.length > 0 && step.solves.length === 0) issue(step.line, `step "${step.id}" has no solve block: the regression suite needs one`);
  const { line: _line, ...plain } = step;
  steps.push(plain);
}

function findFenceEnd(lines: string[], from: number, marker: string): number {
  for (let j = from; j < lines.length; j++) {
    const t = lines[j].trim();
    if (t.startsWith(marker[0].repeat(marker.length)) && /^(`{3,}|~{3,})$/.test(t) && t[0] === marker[0] && t.length >= marker.length) return j;
  }
  return -1;
}

interface BlockInfo {
  lang?: string;
  kind?: 'run' | 'copy' | ScriptKind;
  node?: string;
  src?: string;
  interrupt: boolean;
}

/** "bash run node=node1 interrupt" → {lang:'bash', kind:'run', node:'node1', interrupt:true} */
function parseInfo(info: string): BlockInfo {
  const words = info.split(/\s+/).filter(Boolean);
  const result: BlockInfo = { interrupt: false };
  if (words[0] && !words[0].includes('=') && !['run', 'copy', ...SCRIPT_KINDS].includes(words[0])) result.lang = words.shift();
  for (const w of words) {
    if (w === 'run' || w === 'copy' || SCRIPT_KINDS.includes(w as ScriptKind)) result.kind = w as BlockInfo['kind'];
    else if (w === 'interrupt') result.interrupt = true;
    else if (w.startsWith('node=')) result.node = w.slice(5);
    else if (w.startsWith('src=')) result.src = w.slice(4);
  }
  return result;
}

function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z][\w-]*)(?:\s*=\s*"([^"]*)")?/g)) attrs[m[1]] = m[2] ?? '';
  return attrs;
}

function parseFrontMatter(text: string, firstLine: number, options: ParseOptions, issue: (line: number, message: string) => void): LabMeta | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  for (const e of doc.errors) issue(firstLine - 1 + (e.linePos?.[0].line ?? 1), `front matter: ${e.message.split('\n')[0]}`);
  if (doc.errors.length) return null;
  const lineOf = (path: (string | number)[]): number => {
    for (let p = path.length; p >= 0; p--) {
      const node = doc.getIn(path.slice(0, p), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return firstLine - 1 + counter.linePos(node.range[0]).line;
    }
    return firstLine;
  };
  const parsed = frontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = i.path as (string | number)[];
      issue(lineOf(path), `front matter ${path.join('.') || ''}: ${i.message}`.replace('front matter : ', 'front matter: '));
    }
    return null;
  }
  const fm = parsed.data;
  let ok = true;
  if (fm.id !== options.id) {
    issue(lineOf(['id']), `front matter id "${fm.id}" must match the folder name "${options.id}"`);
    ok = false;
  }
  const seen = new Set<string>();
  fm.nodes.forEach((n, idx) => {
    if (seen.has(n.name)) {
      issue(lineOf(['nodes', idx, 'name']), `duplicate node name "${n.name}"`);
      ok = false;
    }
    seen.add(n.name);
    if (!(KNOWN_IMAGES as readonly string[]).includes(n.image)) {
      issue(lineOf(['nodes', idx, 'image']), `unknown image "${n.image}": known images are ${KNOWN_IMAGES.join(', ')}`);
      ok = false;
    }
  });
  if (fm.registry) {
    if (fm.engine !== 'docker') {
      issue(lineOf(['registry']), 'registry: true needs engine: docker (the bundled registry runs as a container)');
      ok = false;
    }
    fm.nodes.forEach((n, idx) => {
      if (n.name === 'dtr') {
        issue(lineOf(['nodes', idx, 'name']), 'node name "dtr" is taken by the bundled registry in labs with registry: true');
        ok = false;
      }
    });
  }
  if (!ok) return null;
  const durationMinutes = typeof fm.duration === 'number' ? fm.duration
    : fm.duration.endsWith('h') ? parseInt(fm.duration, 10) * 60 : parseInt(fm.duration, 10);
  return {
    id: fm.id, title: fm.title, summary: fm.summary, difficulty: fm.difficulty, durationMinutes,
    topics: fm.topics, engine: fm.engine, nodes: fm.nodes, registry: fm.registry, variables: fm.variables,
  };
}
