/**
 * Walks a lab's MDX tree (mdast, positions from the original file): collects
 * steps and their hidden scripts, and rewrites the tree into what the learner
 * sees. Mutates `tree`; every problem becomes an issue with its line.
 *
 *   <Step id="x" title="X" auto>  → <Step id="x" title="X" index={0} hasCheck={true} autoCheck={true}>
 *   ```bash run node=n1           → <Command node="n1" mode="run" lang="bash" code="…" />
 *   ```bash check node=n1         → removed; kept in LabStep.checks
 *
 * Code stays in JSX string attributes built on the tree, so `<`, `{` and
 * backticks in commands never meet the MDX parser again.
 */
import type { LabIssue, LabMeta, LabStep } from './lab-types';
import { lineOf, literalAttribute, stringAttribute, type MdNode } from './mdast';
import { transformCodeBlock, type CodeContext } from './transform-code-block';
import { labVariableNames, unknownVariables } from './lab-variables';
import { LAB_ID_PATTERN } from './parse-front-matter';

export interface TreeContext {
  /** `labs/intro/lab.mdx`, for issues and script origins. */
  file: string;
  /** null when the front matter is broken: node and variable names are then not checked. */
  meta: LabMeta | null;
  /** Reads a `src=` script relative to the lab folder; null when it does not exist. */
  readScript(relative: string): string | null;
}

/** Components a lab may use; Command is written by the compiler from run/copy blocks. */
export const LAB_COMPONENTS = ['Step', 'Var'] as const;
const STEP_ATTRIBUTES = ['id', 'title', 'auto'];

export function transformLabTree(tree: MdNode, context: TreeContext): { steps: LabStep[]; issues: LabIssue[] } {
  const issues: LabIssue[] = [];
  const issue = (line: number, message: string) => issues.push({ file: context.file, line, message });
  const steps: LabStep[] = [];
  const known = context.meta ? labVariableNames(context.meta) : null;
  const code: CodeContext = { ...context, issue, checkVariables };

  function checkVariables(text: string, line: number) {
    if (!known) return;
    for (const name of unknownVariables(text, known)) issue(line, `unknown variable {{${name}}} (this lab has ${known.join(', ')})`);
  }

  /**
   * Labs are content: `{…}` may hold a comment, never JavaScript, which would
   * run in the learner's browser and fail there rather than here.
   */
  function checkExpression(node: MdNode) {
    const line = lineOf(node);
    const value = node.value ?? '';
    const estree = (node.data as { estree?: { body?: unknown[] } } | undefined)?.estree;
    if (estree && !estree.body?.length) return;
    const variable = /^\s*\{\s*([A-Za-z][\w.-]*)\s*\}\s*$/.exec(value);
    if (variable) issue(line, `{{${variable[1]}}} in prose is a JavaScript expression in MDX: write <Var name="${variable[1]}" /> (or put it in \`code\`)`);
    else issue(line, `{${value.trim()}} is a JavaScript expression: labs hold none (write \\{ for a literal brace, {/* … */} for a comment)`);
  }

  /** Visits `parent`'s children, replacing or dropping them in place. */
  function visitChildren(parent: MdNode, step: LabStep | null) {
    if (!parent.children) return;
    const out: MdNode[] = [];
    for (const child of parent.children) {
      const replaced = visit(child, step);
      if (replaced) out.push(replaced);
    }
    parent.children = out;
  }

  function visit(node: MdNode, step: LabStep | null): MdNode | null {
    const line = lineOf(node);
    switch (node.type) {
      case 'code':
        return transformCodeBlock(node, step, code);
      case 'inlineCode':
        checkVariables(node.value ?? '', line);
        return node;
      case 'mdxjsEsm':
        issue(line, 'labs cannot import or export: use Markdown and the built-in components (Step, Var)');
        return null;
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        checkExpression(node);
        return node;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement':
        return visitElement(node, step);
      default:
        visitChildren(node, step);
        return node;
    }
  }

  function visitElement(node: MdNode, step: LabStep | null): MdNode {
    const line = lineOf(node);
    if (node.name === 'Step') {
      if (node.type !== 'mdxJsxFlowElement') issue(line, '<Step> must start on a line of its own, with a blank line after it');
      else if (step) issue(line, `<Step> inside <Step id="${step.id}">: close the first one with </Step>`);
      else return visitStep(node);
    } else if (node.name === 'Var') {
      const name = node.attributes?.find((a) => a.name === 'name')?.value;
      if (typeof name !== 'string' || !name) issue(line, '<Var> needs name="…"');
      else if (known && !known.includes(name)) issue(line, `unknown variable <Var name="${name}" /> (this lab has ${known.join(', ')})`);
    } else if (node.name && /^[A-Z]/.test(node.name)) {
      issue(line, `unknown component <${node.name}>: labs can use ${LAB_COMPONENTS.join(', ')} and plain HTML`);
    }
    if (node.attributes?.some((a) => a.type !== 'mdxJsxAttribute' || (a.value !== null && typeof a.value === 'object'))) {
      issue(line, `<${node.name ?? ''}> has a {…} attribute: labs hold no JavaScript, use plain strings in quotes`);
    }
    visitChildren(node, step);
    return node;
  }

  function visitStep(node: MdNode): MdNode {
    const line = lineOf(node);
    const attrs = new Map<string, string | null>();
    for (const a of node.attributes ?? []) {
      if (a.type !== 'mdxJsxAttribute' || !a.name) issue(line, '<Step> takes plain attributes only: id="…" title="…" and auto');
      else if (!STEP_ATTRIBUTES.includes(a.name)) issue(line, `<Step> has no attribute ${a.name} (it takes id, title and auto)`);
      else if (a.value !== null && typeof a.value !== 'string') issue(line, `<Step ${a.name}> must be a plain string in quotes`);
      else attrs.set(a.name, a.value ?? null);
    }
    const id = attrs.get('id') ?? '';
    if (!LAB_ID_PATTERN.test(id)) issue(line, '<Step> needs id="…" (lowercase letters, digits and dashes)');
    else if (steps.some((s) => s.id === id)) issue(line, `duplicate step id "${id}"`);
    const title = attrs.get('title') ?? '';
    if (!title.trim()) issue(line, '<Step> needs title="…"');
    if (attrs.has('auto') && attrs.get('auto') !== null) issue(line, '<Step auto> takes no value: write just auto');

    const step: LabStep = { id, title: title || id, index: steps.length, checks: [], registryChecks: [], solves: [], setups: [], autoCheck: attrs.has('auto') };
    steps.push(step);
    visitChildren(node, step);
    if (step.checks.length + step.registryChecks.length === 0) issue(line, `step "${id}" has no check block: every step needs a check that inspects the nodes' state (text to read belongs outside <Step>)`);
    else if (step.solves.length === 0) issue(line, `step "${id}" has no solve block: the regression suite needs one to prove the check can pass`);

    node.attributes = [
      stringAttribute('id', step.id),
      stringAttribute('title', step.title),
      literalAttribute('index', step.index),
      literalAttribute('hasCheck', step.checks.length + step.registryChecks.length > 0),
      literalAttribute('autoCheck', step.autoCheck),
    ];
    return node;
  }

  visitChildren(tree, null);
  return { steps, issues };
}
