/**
 * The registry's vulnerability database: which feed documents the scanner
 * matches against, their format, version (a hash of the contents) and where
 * they came from. Out of the box it is the bundled Alpine secdb; an admin can
 * upload another (offline mode) or have it synced from feed URLs (online
 * mode). A replacement is parsed in full before it is stored, so a bad upload
 * leaves the current database in place. Stored on the registry node's volume.
 *
 *   const db = openVulnDatabase({ dir: '/var/lib/labdock-registry/vulndb', bundled: '/opt/labdock/vulndb/alpine-secdb' });
 *   db.feeds()                                    // [VulnFeed] for matchVulnerabilities
 *   db.replace({ format: 'osv', documents }, 'upload')   // throws with the reason for a bad one
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { alpineSecdbFeed } from '../feeds/alpine-secdb';
import { osvFeed } from '../feeds/osv';
import type { FeedFormat, VulnFeed } from '../feeds/feed';
import { writeJsonAtomic } from '../../storage/json-file';

export interface VulnDbContents {
  format: FeedFormat;
  documents: string[];
}

export interface VulnDbState {
  format: FeedFormat;
  version: string;
  updatedAt: string;
  /** 'bundled', 'upload', or the URLs it was synced from. */
  source: string;
  documents: number;
}

export function buildFeed(contents: VulnDbContents): VulnFeed {
  if (contents.documents.length === 0) throw new Error('a vulnerability database needs at least one document');
  return contents.format === 'osv' ? osvFeed(contents.documents) : alpineSecdbFeed(contents.documents);
}

export function versionOf(contents: VulnDbContents): string {
  const h = createHash('sha256').update(contents.format);
  for (const d of contents.documents) h.update('\0').update(d);
  return h.digest('hex').slice(0, 16);
}

/** Every .yaml/.yml/.json file under `dir`, in a stable order. */
function readDocuments(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export function openVulnDatabase(options: { dir: string; bundled: string }) {
  const stateFile = path.join(options.dir, 'state.json');
  const contentsFile = path.join(options.dir, 'contents.json');
  let cache: { version: string; feed: VulnFeed } | null = null;

  function current(): { state: VulnDbState; contents: VulnDbContents } {
    if (existsSync(stateFile) && existsSync(contentsFile)) {
      return { state: JSON.parse(readFileSync(stateFile, 'utf8')) as VulnDbState, contents: JSON.parse(readFileSync(contentsFile, 'utf8')) as VulnDbContents };
    }
    const contents: VulnDbContents = { format: 'alpine-secdb', documents: readDocuments(options.bundled) };
    const updatedAt = existsSync(options.bundled) ? statSync(options.bundled).mtime.toISOString() : new Date(0).toISOString();
    return { state: { format: contents.format, version: versionOf(contents), updatedAt, source: 'bundled', documents: contents.documents.length }, contents };
  }

  const write = (file: string, data: unknown) => writeJsonAtomic(file, data, { pretty: false });

  return {
    state: () => current().state,

    feeds(): VulnFeed[] {
      const { state, contents } = current();
      if (cache?.version !== state.version) cache = { version: state.version, feed: buildFeed(contents) };
      return [cache.feed];
    },

    /** Parses and stores new contents; returns the new state and whether the version changed. */
    replace(contents: VulnDbContents, source: string): { state: VulnDbState; changed: boolean } {
      const feed = buildFeed(contents); // throws for a malformed document: nothing is stored
      const before = current().state.version;
      const state: VulnDbState = { format: contents.format, version: versionOf(contents), updatedAt: new Date().toISOString(), source, documents: contents.documents.length };
      write(contentsFile, contents);
      write(stateFile, state);
      cache = { version: state.version, feed };
      return { state, changed: state.version !== before };
    },
  };
}

export type VulnDatabase = ReturnType<typeof openVulnDatabase>;
