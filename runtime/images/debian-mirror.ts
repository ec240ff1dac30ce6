/**
 * Which Debian mirror labdock's images come from, and how to tell a person
 * that it could not be reached. Images are built only from Debian packages
 * (no Docker Hub here), with the same mirror the host's apt uses, so a
 * machine whose `apt-get update` works can build them.
 *
 *   hostDebianMirror()                       // 'http://deb.debian.org/debian'
 *   mirrorUnreachable(buildLog)              // true when apt could not fetch
 *   unreachableMessage('node', mirror)       // what to check, in words
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FALLBACK = 'http://deb.debian.org/debian';

/** The host apt's mirror for the main archive (not -security, not third-party repositories). */
export function hostDebianMirror(aptDir = '/etc/apt'): string {
  for (const file of sourceFiles(aptDir)) {
    const text = readFileSync(file, 'utf8');
    const uri = file.endsWith('.sources') ? fromDeb822(text) : fromOneLine(text);
    if (uri) return uri.replace(/\/+$/, '');
  }
  return FALLBACK;
}

/** sources.list first, then sources.list.d in name order; files apt ignores (*.disabled…) are skipped. */
function sourceFiles(aptDir: string): string[] {
  const dir = path.join(aptDir, 'sources.list.d');
  const rest = existsSync(dir) ? readdirSync(dir).sort().filter((f) => f.endsWith('.list') || f.endsWith('.sources')).map((f) => path.join(dir, f)) : [];
  return [path.join(aptDir, 'sources.list'), ...rest].filter((f) => existsSync(f));
}

/** A path ending in /debian (so debian-security and debian-ports do not match). */
const MAIN_ARCHIVE = /^\S+\/debian\/?$/;

function fromDeb822(text: string): string | null {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim().split(/\s+/) ?? [];
    if (/^Enabled:\s*no\b/mi.test(stanza) || !field('Types').includes('deb') || !field('Suites').includes('bookworm')) continue;
    const uri = field('URIs').find((u) => MAIN_ARCHIVE.test(u));
    if (uri) return uri;
  }
  return null;
}

function fromOneLine(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/.exec(line.trim() + ' ');
    if (m && MAIN_ARCHIVE.test(m[1])) return m[1];
  }
  return null;
}

/** apt's and debootstrap's ways of saying the network or the mirror failed them. */
const UNREACHABLE = /Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect|Failed getting release file|Couldn't download|Connection (?:timed out|refused)|No route to host|Network is unreachable/i;

export function mirrorUnreachable(log: string): boolean {
  return UNREACHABLE.test(log);
}

export function unreachableMessage(what: string, mirror: string): string {
  return `building ${what} could not reach the Debian mirror ${mirror}: check that this machine reaches it `
    + `(\`apt-get update\` must work), that /etc/apt/sources.list(.d) names it, and that containers the engine `
    + `builds in have network access (dockerd's DNS and iptables).`;
}
