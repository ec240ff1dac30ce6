/**
 * One fenced code block of a lab: an ordinary block stays as written; a run or
 * copy block becomes a <Command> element; a check, solve or setup block is
 * moved into its step and removed from what the learner sees.
 */
import path from 'node:path';
import type { LabMeta, LabScript, LabStep, ScriptKind } from './lab-types';
import { booleanAttribute, jsxFlowElement, lineOf, stringAttribute, type MdAttribute, type MdNode } from './mdast';
import { parseBlockInfo, SCRIPT_KINDS } from './parse-block-info';
import { parseRegistryChecks, RegistryCheckError } from '../checker/registry-checks';

export interface CodeContext {
  file: string;
  meta: LabMeta | null;
  readScript(relative: string): string | null;
  issue(line: number, message: string): void;
  checkVariables(text: string, line: number): void;
}

/** The replacement for `node`: itself, a <Command>, or null (moved into the step). */
export function transformCodeBlock(node: MdNode, step: LabStep | null, context: CodeContext): MdNode | null {
  const { issue, meta } = context;
  const line = lineOf(node);
  const info = parseBlockInfo(node.lang, node.meta);
  for (const problem of info.problems) issue(line, problem);
  const code = node.value ?? '';
  if (!info.kind) {
    context.checkVariables(code, line);
    return node;
  }

  if (info.kind === 'registry-check') {
    if (!step) issue(line, 'a registry-check block must be inside a <Step>');
    else if (meta && !meta.registry) issue(line, 'a registry-check needs the bundled registry: set registry: true');
    context.checkVariables(code, line);
    try {
      // Variables are filled in when the check runs; any value will do to validate the shape.
      parseRegistryChecks(code.replace(/\{\{[^}]*\}\}/g, 'x'));
    } catch (err) {
      if (!(err instanceof RegistryCheckError)) throw err;
      issue(line, err.message);
    }
    step?.registryChecks.push({ source: code, origin: `${context.file}:${line}` });
    return null;
  }

  const nodeNames = meta?.nodes.map((n) => n.name) ?? [];
  if (info.node && meta && !nodeNames.includes(info.node)) issue(line, `unknown node "${info.node}": this lab's nodes are ${nodeNames.join(', ')}`);
  // With one node there is nothing to choose: blocks may leave node= out.
  const target = info.node ?? (nodeNames.length === 1 ? nodeNames[0] : undefined);

  if ((SCRIPT_KINDS as string[]).includes(info.kind)) {
    const kind = info.kind as ScriptKind;
    if (!step) {
      issue(line, `a ${kind} block must be inside a <Step>`);
      return null;
    }
    if (!target && meta) issue(line, `${kind} block needs node=<name>: this lab has several nodes`);
    const script = scriptOf(kind, info.src, code, line, context);
    if (script) {
      // Kept even without a node (an issue already says so) so that the step is not also reported as lacking a check.
      const list = kind === 'check' ? step.checks : kind === 'solve' ? step.solves : step.setups;
      list.push({ kind, node: target ?? '', ...script });
    }
    return null;
  }

  if (info.kind === 'run' && !info.node && meta && nodeNames.length > 1) issue(line, 'run block needs node=<name>: this lab has several nodes');
  if (!code.trim()) issue(line, `${info.kind} block is empty`);
  context.checkVariables(code, line);
  const attributes: MdAttribute[] = [
    ...(target ? [stringAttribute('node', target)] : []),
    stringAttribute('mode', info.kind),
    ...(info.interrupt ? [booleanAttribute('interrupt')] : []),
    ...(info.lang ? [stringAttribute('lang', info.lang)] : []),
    stringAttribute('code', code),
  ];
  return jsxFlowElement('Command', attributes, node);
}

/** The script's text and origin, inline or from `src=`; null when there is none to keep. */
function scriptOf(kind: ScriptKind, src: string | undefined, code: string, line: number, context: CodeContext): Pick<LabScript, 'source' | 'origin'> | null {
  const { issue, file } = context;
  if (src === undefined) {
    if (!code.trim()) {
      issue(line, `${kind} block is empty`);
      return null;
    }
    context.checkVariables(code, line);
    return { source: code, origin: `${file}:${line}` };
  }
  if (!src) return null;
  if (code.trim()) issue(line, `a ${kind} block with src=${src} must be empty: the script is read from the file`);
  const normal = path.posix.normalize(src);
  if (path.posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    issue(line, `src=${src} must name a file inside the lab folder`);
    return null;
  }
  const source = context.readScript(normal);
  if (source === null) {
    issue(line, `script ${src} does not exist in the lab folder`);
    return null;
  }
  if (!source.trim()) issue(line, `script ${src} is empty`);
  context.checkVariables(source, line);
  return { source, origin: path.posix.join(path.posix.dirname(file), normal) };
}
