/**
 * Runs a step's scripts (check, solve or setup) in their nodes. A script passes
 * when it exits 0; on failure the last non-empty line of its output is the hint
 * shown to the learner. Scripts get the session's variables both as `{{name}}`
 * substitutions and as environment variables (lab-types.ts).
 *
 *   const outcome = await runScripts(provisioner, sessionId, step.checks, { vars, timeoutMs: 20_000 });
 *   // { passed: false, message: 'hello.txt exists but says "hi", expected "hello"' }
 *
 * A script that times out or whose node is gone is a failure with a message
 * that says so — never a pass (fail closed).
 */
import type { LabScript } from '../labs/lab-types';
import { substituteVars, varsToEnv } from '../labs/lab-types';
import { ExecTimeoutError, NodeNotFoundError, type Provisioner } from '../provisioner/provisioner';

export interface ScriptOutcome {
  passed: boolean;
  message: string;
  /** Full output of the script that decided the outcome, for reports and logs. */
  output: string;
  durationMs: number;
}

export interface RunOptions {
  vars: Record<string, string>;
  timeoutMs: number;
}

/** Runs scripts in order and stops at the first failure. No scripts → passed. */
export async function runScripts(
  provisioner: Provisioner,
  sessionId: string,
  scripts: LabScript[],
  options: RunOptions,
): Promise<ScriptOutcome> {
  const started = Date.now();
  let last = '';
  for (const script of scripts) {
    const outcome = await runOne(provisioner, sessionId, script, options);
    if (!outcome.passed) return { ...outcome, durationMs: Date.now() - started };
    last = outcome.output;
  }
  return { passed: true, message: 'Done.', output: last, durationMs: Date.now() - started };
}

async function runOne(provisioner: Provisioner, sessionId: string, script: LabScript, options: RunOptions): Promise<Omit<ScriptOutcome, 'durationMs'>> {
  const source = substituteVars(script.source, options.vars);
  try {
    const { exitCode, output } = await provisioner.exec(sessionId, script.node, 'bash -s', {
      stdin: source,
      env: varsToEnv(options.vars),
      timeoutMs: options.timeoutMs,
    });
    if (exitCode === 0) return { passed: true, message: 'Done.', output };
    return { passed: false, message: hintFrom(output) ?? `The ${script.kind} exited with code ${exitCode}.`, output };
  } catch (err) {
    if (err instanceof ExecTimeoutError) {
      return { passed: false, message: `The ${script.kind} did not finish within ${Math.round(options.timeoutMs / 1000)} s.`, output: '' };
    }
    if (err instanceof NodeNotFoundError) {
      return { passed: false, message: `Node ${script.node} is not running: reset the session to get it back.`, output: '' };
    }
    throw err;
  }
}

/** The last non-empty line, without terminal colour codes, capped for display. */
export function hintFrom(output: string): string | null {
  const lines = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1);
  if (!last) return null;
  return last.length > 500 ? `${last.slice(0, 497)}...` : last;
}
