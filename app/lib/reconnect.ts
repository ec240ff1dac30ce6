/** Delay before reconnect attempt n (0-based): 0.5 s doubling to 8 s, with jitter so a server restart is not stampeded. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Close codes after which reconnecting cannot help (see runtime/terminal/protocol.ts CLOSE). */
export function isFinalClose(code: number): boolean {
  return code === 4401 || code === 4404 || code === 4000 || code === 4403;
}
