/**
 * The info string of a fenced code block in a lab:
 *
 *   ```bash run node=manager1 interrupt   typed into manager1's terminal on click
 *   ```bash copy                          shown with a Copy button
 *   ```bash check node=worker1 src=x.sh   hidden; run by the checker
 *   ```yaml registry-check                hidden; typed checks of the session registry
 *   ```bash                               an ordinary block, shown as written
 *
 * Any word it does not know is an error rather than ignored: a typo such as
 * `chek` would otherwise show a check script to the learner.
 */
import type { ScriptKind } from './lab-types';

export type BlockKind = 'run' | 'copy' | 'registry-check' | ScriptKind;

export const SCRIPT_KINDS: readonly ScriptKind[] = ['check', 'solve', 'setup'];
const KINDS: readonly BlockKind[] = ['run', 'copy', 'registry-check', ...SCRIPT_KINDS];

export interface BlockInfo {
  lang?: string;
  /** Absent for an ordinary code block. */
  kind?: BlockKind;
  node?: string;
  src?: string;
  interrupt: boolean;
  problems: string[];
}

/** `lang` and `meta` as mdast splits them: "bash", "run node=node1". */
export function parseBlockInfo(lang: string | null | undefined, meta: string | null | undefined): BlockInfo {
  const words = [lang ?? '', ...(meta ?? '').split(/\s+/)].filter(Boolean);
  const info: BlockInfo = { interrupt: false, problems: [] };
  if (words.length && !isKnownWord(words[0])) info.lang = words.shift();
  const kinds = words.filter((w) => (KINDS as string[]).includes(w)) as BlockKind[];
  if (kinds.length > 1) info.problems.push(`a code block has one kind, this one says ${kinds.join(' and ')}`);
  if (!kinds.length) {
    // An ordinary block: any extra words are most likely a mistyped kind.
    if (words.length) info.problems.push(`code block info "${words.join(' ')}" is not understood: write \`${info.lang ?? 'bash'} run node=<name>\`, copy, check, solve or setup`);
    return info;
  }
  info.kind = kinds[0];
  for (const w of words) {
    if ((KINDS as string[]).includes(w)) continue;
    if (w === 'interrupt') info.interrupt = true;
    else if (w.startsWith('node=')) info.node = w.slice(5);
    else if (w.startsWith('src=')) info.src = w.slice(4);
    else info.problems.push(`unknown word "${w}" in a ${info.kind} block (expected node=<name>, src=<file>${info.kind === 'run' ? ', interrupt' : ''})`);
  }
  if (info.interrupt && info.kind !== 'run') info.problems.push(`interrupt only applies to run blocks, not ${info.kind}`);
  if (info.src !== undefined && !(SCRIPT_KINDS as string[]).includes(info.kind)) info.problems.push(`src= is only for check, solve and setup blocks, not ${info.kind}`);
  if (info.kind === 'registry-check' && info.node !== undefined) info.problems.push('a registry-check runs against the registry, not in a node: leave node= out');
  if (info.node === '') info.problems.push('node= needs a node name');
  if (info.src === '') info.problems.push('src= needs a file name');
  return info;
}

function isKnownWord(word: string): boolean {
  return (KINDS as string[]).includes(word) || word === 'interrupt' || word.includes('=');
}
