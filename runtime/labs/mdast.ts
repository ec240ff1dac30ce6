/**
 * The few mdast / MDX node shapes the lab compiler reads and writes, typed
 * here instead of through @types/mdast and mdast-util-mdx-jsx, which are only
 * transitive dependencies of @mdx-js/mdx.
 */

export interface MdNode {
  type: string;
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
  value?: string;
  /** code: first word of the info string, and the rest. */
  lang?: string | null;
  meta?: string | null;
  /** MDX JSX elements. */
  name?: string | null;
  attributes?: MdAttribute[];
  /** MDX expressions keep their parsed estree here. */
  data?: unknown;
}

export interface MdAttribute {
  type: 'mdxJsxAttribute' | 'mdxJsxExpressionAttribute';
  name?: string;
  /** null: a boolean attribute (`auto`); object: `{expression}`. */
  value?: string | null | { type: 'mdxJsxAttributeValueExpression'; value: string; data?: unknown };
}

export function lineOf(node: MdNode | undefined, fallback = 1): number {
  return node?.position?.start.line ?? fallback;
}

export function stringAttribute(name: string, value: string): MdAttribute {
  return { type: 'mdxJsxAttribute', name, value };
}

export function booleanAttribute(name: string): MdAttribute {
  return { type: 'mdxJsxAttribute', name, value: null };
}

/**
 * `name={value}` for a number or boolean. MDX compiles attribute expressions
 * from their estree, not their text, so the estree is built here.
 */
export function literalAttribute(name: string, value: number | boolean): MdAttribute {
  const raw = String(value);
  const estree = {
    type: 'Program',
    sourceType: 'module',
    comments: [],
    body: [{ type: 'ExpressionStatement', expression: { type: 'Literal', value, raw } }],
  };
  return { type: 'mdxJsxAttribute', name, value: { type: 'mdxJsxAttributeValueExpression', value: raw, data: { estree } } };
}

export function jsxFlowElement(name: string, attributes: MdAttribute[], from?: MdNode): MdNode {
  return { type: 'mdxJsxFlowElement', name, attributes, children: [], ...(from?.position ? { position: from.position } : {}) };
}
