/**
 * Nodes must not reach the host: not the labdock server, not anything else
 * listening on any of its addresses. Every network labdock makes (session
 * networks, the hub's) gets a bridge named `ldk…`, and one chain drops every
 * connection those bridges start towards the host. Replies to connections the
 * host made (the registry console, the hub preload) still pass; traffic
 * between containers on a bridge, and the engine's DNS inside each node, never
 * enter the host's INPUT chain at all.
 *
 *   await ensureHostFirewall();           // idempotent; throws with what to do when it cannot
 *
 * Equivalent to:
 *   iptables -N LABDOCK-INPUT
 *   iptables -A LABDOCK-INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
 *   iptables -A LABDOCK-INPUT -j DROP
 *   iptables -I INPUT 1 -i ldk+ -j LABDOCK-INPUT            (and the same with ip6tables)
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Prefix of every bridge labdock creates; `ldk+` in iptables matches them all. */
export const SESSION_BRIDGE_PREFIX = 'ldk';

/**
 * The hub network's bridge: one per engine, named after the engine's id, since bridge names are
 * host-wide and two engines on one host (labdock's and another) may each run a labdock hub.
 */
export function hubBridgeName(engineId: string): string {
  return `${SESSION_BRIDGE_PREFIX}h${createHash('sha256').update(engineId).digest('hex').slice(0, 11)}`;
}
const CHAIN = 'LABDOCK-INPUT';

async function tables(bin: string, args: string[]): Promise<boolean> {
  try {
    await run(bin, ['-w', ...args]);
    return true;
  } catch {
    return false;
  }
}

async function ensureFor(bin: string): Promise<void> {
  if (!(await tables(bin, ['-L', 'INPUT', '-n']))) throw new Error(`${bin} cannot read the INPUT chain (labdock must run as root, with iptables installed)`);
  if (!(await tables(bin, ['-L', CHAIN, '-n']))) await run(bin, ['-w', '-N', CHAIN]);
  // Rebuilt every start, so an older or hand-edited chain cannot leave a hole.
  await run(bin, ['-w', '-F', CHAIN]);
  await run(bin, ['-w', '-A', CHAIN, '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'RETURN']);
  await run(bin, ['-w', '-A', CHAIN, '-j', 'DROP']);
  const jump = ['INPUT', '-i', `${SESSION_BRIDGE_PREFIX}+`, '-j', CHAIN];
  if (!(await tables(bin, ['-C', ...jump]))) await run(bin, ['-w', '-I', jump[0], '1', ...jump.slice(1)]);
}

export async function ensureHostFirewall(): Promise<void> {
  await ensureFor('iptables');
  // Hosts without IPv6 filtering have no IPv6 to reach either; a host with it gets the same rule.
  if (await tables('ip6tables', ['-L', 'INPUT', '-n'])) await ensureFor('ip6tables');
}
