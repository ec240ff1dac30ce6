/**
 * Which `{{name}}` variables a lab can use, and finding the ones it names but
 * does not have — a misspelt variable would otherwise reach the learner (or a
 * check script) as literal `{{greting}}`.
 *
 *   labVariableNames(meta)                  // ['greeting', 'session.id', 'hostname.node1', …]
 *   unknownVariables('echo {{greting}}', names)  // ['greting']
 */
import type { LabMeta } from './lab-types';

export interface SessionFacts {
  id: string;
  /** Present for labs with `registry: true`. */
  registry?: { hostname: string; username: string; password: string };
}

/** The variables a session of this lab fills in: the lab's own, then the built-in ones. */
export function sessionVariables(meta: LabMeta, session: SessionFacts): Record<string, string> {
  const vars: Record<string, string> = { ...meta.variables, 'session.id': session.id };
  // A node's hostname is its name: sessions are isolated networks, so names never clash.
  for (const n of meta.nodes) vars[`hostname.${n.name}`] = n.name;
  if (meta.registry && session.registry) {
    Object.assign(vars, { 'registry.hostname': session.registry.hostname, 'registry.username': session.registry.username, 'registry.password': session.registry.password });
  }
  return vars;
}

/** Every name a session of this lab fills in. */
export function labVariableNames(meta: LabMeta): string[] {
  return Object.keys(sessionVariables(meta, { id: '', registry: { hostname: '', username: '', password: '' } }));
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
