/**
 * Which `{{name}}` variables a lab can use, and finding the ones it names but
 * does not have — a misspelt variable would otherwise reach the learner (or a
 * check script) as literal `{{greting}}`.
 *
 *   labVariableNames(meta)                  // ['greeting', 'session.id', 'hostname.node1', …]
 *   unknownVariables('echo {{greting}}', names)  // ['greting']
 */
import type { LabMeta } from './lab-types';

const REGISTRY_VARIABLES = ['registry.hostname', 'registry.username', 'registry.password'];

/** Every name a session of this lab fills in (session-service builds the same set). */
export function labVariableNames(meta: LabMeta): string[] {
  return [
    ...Object.keys(meta.variables),
    'session.id',
    ...meta.nodes.map((n) => `hostname.${n.name}`),
    ...(meta.registry ? REGISTRY_VARIABLES : []),
  ];
}

// Go templates share the braces (`docker inspect -f '{{range .X}}{{.Y}}{{end}}'`):
// `{{.Name}}` never looks like a variable, but these bare keywords do.
const TEMPLATE_WORDS = new Set(['end', 'else', 'break', 'continue', 'nil', 'true', 'false']);

/** Names written as `{{name}}` in `text` that are not in `known`, in order, without repeats. */
export function unknownVariables(text: string, known: readonly string[]): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9_.-]*)\s*\}\}/g)) {
    if (!known.includes(m[1]) && !TEMPLATE_WORDS.has(m[1])) found.add(m[1]);
  }
  return [...found];
}
