/**
 * What a Run button types into a terminal: optionally Ctrl-C first, then each
 * line of the block followed by Enter, exactly as a learner would type it.
 *
 *   for (const chunk of commandKeys('ls\npwd', { interrupt: true })) terminal.send(chunk);
 *   // → ['\x03', 'ls\r', 'pwd\r']
 */

export const CTRL_C = '\x03';

export function commandKeys(code: string, options: { interrupt?: boolean } = {}): string[] {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  // A block's trailing newline is formatting, not an extra Enter.
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const keys = lines.map((line) => `${line}\r`);
  return options.interrupt ? [CTRL_C, ...keys] : keys;
}
