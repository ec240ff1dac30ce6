/**
 * Promotion policy rules, as DTR wrote them: a field, an operator and values;
 * every rule of a policy must hold. Tag rules compare the tag's name; the
 * vulnerability rules compare counts from the tag's scan (vulnerability_all
 * counts every advisory, whatever its severity). Then the tag template names
 * the promoted tag: `%n` is the source tag, `%Y %m %d` the date (UTC).
 *
 *   const rules = [{ field: 'tag', operator: 'ends with', values: ['stable'] }, { field: 'vulnerability_all', operator: 'equals', values: ['0'] }];
 *   rulesHold(rules, { tag: '3.6-stable', summary: { critical: 0, major: 0, minor: 0, unknown: 0 } })   // true
 *   promotedTag('%n', '3.6-stable')                                                                  // '3.6-stable'
 */
import { z } from 'zod';
import type { ScanSummary } from '../scanning/service/scan-store';
import { tagNameProblem } from '../policy/names';

export const TAG_OPERATORS = ['equals', 'not equals', 'starts with', 'ends with', 'contains', 'one of', 'not one of', 'matches'] as const;
export const COUNT_OPERATORS = ['equals', 'not equals', 'less than', 'less or equal', 'greater than', 'greater or equal'] as const;
export const VULN_FIELDS = ['vulnerability_all', 'vulnerability_critical', 'vulnerability_major', 'vulnerability_minor'] as const;

/** DTR/MSR also wrote the comparators as symbols. */
const ALIASES: Record<string, string> = { '=': 'equals', '!=': 'not equals', '<': 'less than', '<=': 'less or equal', '>': 'greater than', '>=': 'greater or equal' };
const operator = <T extends readonly [string, ...string[]]>(ops: T) => z.preprocess((o) => (typeof o === 'string' ? ALIASES[o] ?? o : o), z.enum(ops));

const count = z.string().regex(/^\d{1,6}$/, 'a vulnerability count is a whole number');
const names = z.array(z.string().min(1).max(200)).min(1).max(50);
export const ruleSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('tag'), operator: operator(TAG_OPERATORS), values: names }).strict()
    .refine((r) => r.operator !== 'matches' || r.values.every(validRegex), 'matches takes a valid regular expression'),
  // The image's components (package names) from its scan: any of them matches, or (not one of / not equals) none does.
  z.object({ field: z.literal('component_name'), operator: operator(TAG_OPERATORS), values: names }).strict()
    .refine((r) => r.operator !== 'matches' || r.values.every(validRegex), 'matches takes a valid regular expression'),
  ...VULN_FIELDS.map((f) => z.object({ field: z.literal(f), operator: operator(COUNT_OPERATORS), values: z.array(count).length(1) }).strict()),
]);
export type Rule = z.infer<typeof ruleSchema>;

function validRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const needsScan = (rules: Rule[]) => rules.some((r) => r.field !== 'tag');

function tagHolds(op: (typeof TAG_OPERATORS)[number], values: string[], tag: string): boolean {
  switch (op) {
    case 'equals': return tag === values[0];
    case 'not equals': return tag !== values[0];
    case 'starts with': return values.some((v) => tag.startsWith(v));
    case 'ends with': return values.some((v) => tag.endsWith(v));
    case 'contains': return values.some((v) => tag.includes(v));
    case 'one of': return values.includes(tag);
    case 'not one of': return !values.includes(tag);
    case 'matches': return values.some((v) => new RegExp(`^(?:${v})$`).test(tag));
  }
}

function countHolds(op: (typeof COUNT_OPERATORS)[number], limit: number, n: number): boolean {
  switch (op) {
    case 'equals': return n === limit;
    case 'not equals': return n !== limit;
    case 'less than': return n < limit;
    case 'less or equal': return n <= limit;
    case 'greater than': return n > limit;
    case 'greater or equal': return n >= limit;
  }
}

/** Do all rules hold for this tag? A rule on the scan never holds without one. */
export function rulesHold(rules: Rule[], subject: { tag: string; summary: ScanSummary | null; components?: string[] | null }): boolean {
  return rules.every((r) => {
    if (r.field === 'tag') return tagHolds(r.operator, r.values, subject.tag);
    if (r.field === 'component_name') {
      if (!subject.components) return false;
      const negative = r.operator === 'not one of' || r.operator === 'not equals';
      const positive = negative ? (r.operator === 'not one of' ? 'one of' : 'equals') : r.operator;
      const any = subject.components.some((c) => tagHolds(positive, r.values, c));
      return negative ? !any : any;
    }
    if (!subject.summary) return false;
    const s = subject.summary;
    const n = r.field === 'vulnerability_all' ? s.critical + s.major + s.minor + s.unknown : s[r.field.replace('vulnerability_', '') as 'critical' | 'major' | 'minor'];
    return countHolds(r.operator, Number(r.values[0]), n);
  });
}

/** The promoted tag's name; throws when the template makes an invalid tag. */
export function promotedTag(template: string, sourceTag: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const tag = template
    .replace(/%n/g, sourceTag)
    .replace(/%Y/g, String(now.getUTCFullYear()))
    .replace(/%m/g, pad(now.getUTCMonth() + 1))
    .replace(/%d/g, pad(now.getUTCDate()));
  const problem = tagNameProblem(tag);
  if (problem) throw new Error(`the tag template "${template}" makes an invalid tag: ${problem}`);
  return tag;
}
