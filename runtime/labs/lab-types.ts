/**
 * The lab model: what the lab compiler produces from `labs/<id>/lab.mdx` and
 * what the player, the checker and the regression suite consume.
 *
 * Authoring format (see README "Writing a lab"):
 *
 *   ---
 *   id: intro
 *   title: ...
 *   engine: none | docker      # none: runs in the local sandbox, no container engine
 *   nodes: [{ name: node1, image: node, role: "..." }]
 *   registry: false
 *   variables: { greeting: hello }
 *   ---
 *   <Step id="hello" title="Say hello">
 *   prose… ```bash run node=node1``` / ```bash copy``` blocks shown to the learner;
 *   ```bash check node=node1``` / solve / setup blocks hidden, run by the checker;
 *   `src=path.sh` on such a block reads the script from the lab folder.
 *   </Step>
 *
 * Variables: `{{name}}` in code blocks and scripts, `<Var name="..."/>` in prose.
 * Built-in names: `hostname.<node>`, `session.id`, `registry.hostname`,
 * `registry.username`, `registry.password`, plus the lab's `variables`.
 * Scripts also get them as environment variables: upper-cased, `.`/`-` → `_`
 * (`hostname.node1` → `HOSTNAME_NODE1`).
 */

export type Difficulty = 'beginner' | 'intermediate' | 'advanced';
export type Engine = 'none' | 'docker';

export interface LabNode {
  name: string;
  /** Logical image name ("node"); the provisioner resolves it to a built tag. */
  image: string;
  role?: string;
  /** false: the node starts without the session registry's CA (the lab has the learner install it). */
  trustRegistry?: boolean;
}

export interface LabMeta {
  id: string;
  title: string;
  summary: string;
  difficulty: Difficulty;
  /** Honest estimate in minutes. */
  durationMinutes: number;
  topics: string[];
  engine: Engine;
  nodes: LabNode[];
  registry: boolean;
  variables: Record<string, string>;
  /** Sessions kept started for learners who open this lab on their own (a standing pool); absent: none. */
  pool?: number;
}

export type ScriptKind = 'check' | 'solve' | 'setup';

export interface LabScript {
  kind: ScriptKind;
  node: string;
  source: string;
  /** Where it was written, for error messages: `labs/intro/lab.mdx:42` or the src file. */
  origin: string;
}

export interface LabStep {
  id: string;
  title: string;
  /** 0-based position. */
  index: number;
  checks: LabScript[];
  /** Typed checks of the session registry (```yaml registry-check), run after the check scripts. */
  registryChecks: { source: string; origin: string }[];
  solves: LabScript[];
  setups: LabScript[];
  /** Check repeatedly in the background and turn green on its own. */
  autoCheck: boolean;
}

export interface CompiledLab {
  meta: LabMeta;
  steps: LabStep[];
  /** mdx-bundler output; render with getMDXComponent(code) and LabComponents. */
  code: string;
}

/** Props of the components compiled lab MDX references (implemented in app/). */
export interface StepProps {
  id: string;
  title: string;
  index: number;
  hasCheck: boolean;
  /** The step is marked `auto`: the player checks it in the background. */
  autoCheck?: boolean;
  children?: unknown;
}

export interface CommandProps {
  node?: string;
  mode: 'run' | 'copy';
  /** Send Ctrl-C before typing the command. */
  interrupt?: boolean;
  lang?: string;
  code: string;
}

export interface VarProps {
  name: string;
}

/** A problem found while compiling or linting a lab, with its place. */
export interface LabIssue {
  file: string;
  line: number;
  message: string;
}

export class LabError extends Error {
  constructor(readonly issues: LabIssue[]) {
    super(issues.map((i) => `${i.file}:${i.line}: ${i.message}`).join('\n'));
    this.name = 'LabError';
  }
}

/** Substitutes `{{name}}` with values; unknown names are left as written so the learner sees them. */
export function substituteVars(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** `hostname.node1` → `HOSTNAME_NODE1`. */
export function varsToEnv(vars: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) env[name.toUpperCase().replace(/[.-]/g, '_')] = value;
  return env;
}
