'use client';
/**
 * Renders a compiled lab (mdx-bundler output) with labdock's components:
 * Step, Command and Var from the lab compiler, plus plain Markdown code blocks
 * and links.
 */
import { isValidElement, useMemo, useState, type ComponentProps, type ReactNode } from 'react';
import { getMDXComponent } from 'mdx-bundler/client';
import type { MDXComponents } from 'mdx/types';
import type { VarProps } from '@/runtime/labs/lab-types';
import { copyText } from '@/app/lib/copy-text';
import { usePlayer } from './player-context';
import { StepSection } from './step-section';
import { CommandBlock } from './command-block';

function Var({ name }: VarProps) {
  const { vars } = usePlayer();
  const value = vars[name];
  return value === undefined
    ? <code className="var pending" title="Known once the lab is started">{name}</code>
    : <code className="var" title={name}>{value}</code>;
}

/** A plain ``` block (no run/copy): shown as written, with a Copy button. */
function CodeBlock(props: ComponentProps<'pre'>) {
  const { reportError } = usePlayer();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    copyText(textOf(props.children).replace(/\n$/, '')).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    }, (err: unknown) => reportError((err as Error).message));
  };
  return (
    <div className="code-block">
      <pre {...props} />
      <button type="button" className="secondary copy" onClick={copy}>{copied ? 'Copied ✓' : 'Copy'}</button>
    </div>
  );
}

function InlineCode(props: ComponentProps<'code'>) {
  return <code {...props} />;
}

/** Links to other sites open beside the lab, not in place of it. */
function Link({ href = '', ...rest }: ComponentProps<'a'>) {
  const external = /^https?:\/\//.test(href);
  return <a href={href} {...rest} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})} />;
}

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

const components: MDXComponents = { Step: StepSection, Command: CommandBlock, Var, pre: CodeBlock, code: InlineCode, a: Link };

export function LabContent({ code }: { code: string }) {
  // Evaluating the bundle is the expensive part; do it once per lab.
  const Content = useMemo(() => getMDXComponent(code), [code]);
  return <Content components={components} />;
}
