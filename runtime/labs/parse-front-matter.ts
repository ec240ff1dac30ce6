/**
 * The YAML front matter of a lab: validated with zod, every problem reported
 * at the line of the field it concerns (the yaml package keeps node ranges).
 *
 *   const { meta, bodyStart, issues } = parseFrontMatter(lines, { id: 'intro', file: 'labs/intro/lab.mdx' });
 *   // meta is null when anything is wrong; bodyStart is the 0-based index of the first body line
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { LabIssue, LabMeta } from './lab-types';

/** Node images a lab may name; grows as runtime/images gains node images. */
export const KNOWN_IMAGES: readonly string[] = ['node'];

/** Node name the bundled registry takes in labs with `registry: true`. */
export const REGISTRY_NODE_NAME = 'dtr';

/** A standing pool serves the next few learners of a popular lab; more is a workshop's job (and capacity's). */
export const MAX_STANDING_POOL = 10;

export const LAB_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

// Node names become hostnames on the session network: keep them DNS labels, short enough to read.
const nodeName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lowercase letters, digits and dashes, starting with a letter (at most 31)');

// `15m`, `90min`, `1h`, `1h30m`, or a bare number of minutes.
const DURATION = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/;

const schema = z.strictObject({
  id: z.string().regex(LAB_ID_PATTERN, 'must be lowercase letters, digits and dashes'),
  title: z.string().min(1).max(120),
  summary: z.string().min(1).max(500),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  duration: z.union([
    z.number().int().positive(),
    z.string().refine((d) => toMinutes(d) > 0, 'use minutes like 15m, hours like 1h, or both like 1h30m'),
  ]),
  topics: z.array(z.string().min(1)).default([]),
  engine: z.enum(['none', 'docker']).default('docker'),
  nodes: z.array(z.strictObject({
    name: nodeName,
    image: z.string().default('node'),
    role: z.string().optional(),
    /** false: the node does not trust the session registry's CA until the learner makes it (seed 001's "Configuring node-1 to trust DTR"). */
    trustRegistry: z.boolean().default(true),
  })).min(1, 'a lab needs at least one node'),
  registry: z.boolean().default(false),
  /** Sessions kept started for self-paced learners (runtime/standing-pool); 0: none. */
  pool: z.number().int().min(0).max(MAX_STANDING_POOL, `at most ${MAX_STANDING_POOL} sessions: a standing pool serves the next few learners, workshops warm more`).default(0),
  variables: z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'variable names are letters, digits, _ and -, starting with a letter'),
    z.union([z.string(), z.number(), z.boolean()]).transform(String),
  ).default({}),
});

export interface FrontMatterResult {
  meta: LabMeta | null;
  /** 0-based index of the first line after the closing `---`; null without a (closed) front matter. */
  bodyStart: number | null;
  issues: LabIssue[];
}

export function parseFrontMatter(lines: string[], options: { id: string; file: string }): FrontMatterResult {
  const issues: LabIssue[] = [];
  const issue = (line: number, message: string) => issues.push({ file: options.file, line, message });
  if (lines[0]?.trim() !== '---') {
    issue(1, 'a lab starts with front matter between --- lines');
    return { meta: null, bodyStart: null, issues };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) {
    issue(1, 'front matter is not closed with ---');
    return { meta: null, bodyStart: null, issues };
  }
  // YAML line 1 is file line 2.
  const counter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter: counter, prettyErrors: false });
  for (const e of doc.errors) issue(1 + (e.linePos?.[0].line ?? 1), `front matter: ${e.message.split('\n')[0]}`);
  if (doc.errors.length) return { meta: null, bodyStart: end + 1, issues };
  const lineOf = (path: PropertyKey[]) => 1 + lineInYaml(doc, counter, path);

  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = i.path as PropertyKey[];
      if (i.code === 'unrecognized_keys') {
        for (const key of i.keys) issue(lineOf([...path, key]), `front matter ${[...path, key].join('.')}: unknown field (known: ${knownFields(path)})`);
      } else if (i.code === 'invalid_key') {
        issue(lineOf(path), `front matter ${path.join('.')}: ${i.issues[0]?.message ?? i.message}`);
      } else {
        const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
        issue(lineOf(path), `front matter ${path.join('.') || '(root)'}: ${missing ? 'is required' : i.message}`);
      }
    }
    return { meta: null, bodyStart: end + 1, issues };
  }

  const fm = parsed.data;
  if (fm.id !== options.id) issue(lineOf(['id']), `front matter id "${fm.id}" must match the folder name "${options.id}"`);
  const seen = new Set<string>();
  fm.nodes.forEach((n, i) => {
    if (seen.has(n.name)) issue(lineOf(['nodes', i, 'name']), `duplicate node name "${n.name}"`);
    seen.add(n.name);
    if (!KNOWN_IMAGES.includes(n.image)) issue(lineOf(['nodes', i, 'image']), `unknown image "${n.image}": known images are ${KNOWN_IMAGES.join(', ')}`);
    if (fm.registry && n.name === REGISTRY_NODE_NAME) issue(lineOf(['nodes', i, 'name']), `node name "${REGISTRY_NODE_NAME}" is taken by the bundled registry in labs with registry: true`);
    if (!fm.registry && !n.trustRegistry) issue(lineOf(['nodes', i, 'trustRegistry']), 'trustRegistry only applies to labs with registry: true');
  });
  if (fm.registry && fm.engine !== 'docker') issue(lineOf(['registry']), 'registry: true needs engine: docker (the bundled registry runs as a container)');
  if (issues.length) return { meta: null, bodyStart: end + 1, issues };

  const meta: LabMeta = {
    id: fm.id,
    title: fm.title,
    summary: fm.summary,
    difficulty: fm.difficulty,
    durationMinutes: typeof fm.duration === 'number' ? fm.duration : toMinutes(fm.duration),
    topics: fm.topics,
    engine: fm.engine,
    nodes: fm.nodes.map((n) => ({ name: n.name, image: n.image, ...(n.role === undefined ? {} : { role: n.role }), ...(n.trustRegistry ? {} : { trustRegistry: false }) })),
    registry: fm.registry,
    variables: fm.variables,
    ...(fm.pool ? { pool: fm.pool } : {}),
  };
  return { meta, bodyStart: end + 1, issues };
}

function toMinutes(duration: string): number {
  const m = DURATION.exec(duration.trim());
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : 0;
}

/**
 * 1-based line in the YAML text of the field at `path`: the key's line for a
 * mapping entry, the item's line for a list entry; the deepest part of the
 * path that exists when the rest is missing.
 */
function lineInYaml(doc: Document, counter: LineCounter, path: PropertyKey[]): number {
  // A missing top-level field: the opening --- (YAML line 0).
  let line = 0;
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      line = lineAt(counter, pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      node = node.items[key];
      line = lineAt(counter, node) ?? line;
    } else break;
  }
  return line;
}

function lineAt(counter: LineCounter, node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

function knownFields(path: PropertyKey[]): string {
  return path[0] === 'nodes' ? 'name, image, role, trustRegistry' : Object.keys(schema.shape).join(', ');
}
