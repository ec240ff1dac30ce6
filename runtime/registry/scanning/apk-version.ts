/**
 * apk's version ordering (apk-tools `apk_version_compare`), for matching Alpine
 * packages against the secdb:
 *   1.2 < 1.2.1 < 1.10;  1.2a < 1.2b;
 *   _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p;
 *   -r1 < -r2.
 *
 *   compareApkVersions('1.1.12-r5', '1.1.12-r6')  // -1
 */

const PRE = ['alpha', 'beta', 'pre', 'rc'];
const POST = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Parsed {
  numbers: number[];
  letter: string;
  suffixes: { rank: number; n: number }[];
  revision: number;
}

/** Rank of a suffix against "no suffix" (0): pre-releases are negative, post-releases positive. */
function suffixRank(name: string): number | null {
  const pre = PRE.indexOf(name);
  if (pre >= 0) return pre - PRE.length;
  const post = POST.indexOf(name);
  return post >= 0 ? post + 1 : null;
}

export function parseApkVersion(version: string): Parsed | null {
  const m = /^(\d+(?:\.\d+)*)([a-z]?)((?:_[a-z]+\d*)*)(?:-r(\d+))?$/.exec(version);
  if (!m) return null;
  const suffixes: Parsed['suffixes'] = [];
  for (const s of m[3].split('_').filter(Boolean)) {
    const sm = /^([a-z]+)(\d*)$/.exec(s)!;
    const rank = suffixRank(sm[1]);
    if (rank === null) return null;
    suffixes.push({ rank, n: sm[2] ? Number(sm[2]) : 0 });
  }
  return { numbers: m[1].split('.').map(Number), letter: m[2], suffixes, revision: m[4] ? Number(m[4]) : 0 };
}

/** -1, 0 or 1. Unparseable versions compare as strings (apk treats them as invalid; callers should not rely on them). */
export function compareApkVersions(a: string, b: string): -1 | 0 | 1 {
  const pa = parseApkVersion(a);
  const pb = parseApkVersion(b);
  if (!pa || !pb) return sign(a.localeCompare(b));
  const len = Math.max(pa.numbers.length, pb.numbers.length);
  for (let i = 0; i < len; i++) {
    const x = pa.numbers[i];
    const y = pb.numbers[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return sign(x - y);
  }
  if (pa.letter !== pb.letter) return pa.letter < pb.letter ? -1 : 1;
  const slen = Math.max(pa.suffixes.length, pb.suffixes.length);
  for (let i = 0; i < slen; i++) {
    const x = pa.suffixes[i] ?? { rank: 0, n: 0 };
    const y = pb.suffixes[i] ?? { rank: 0, n: 0 };
    if (x.rank !== y.rank) return sign(x.rank - y.rank);
    if (x.n !== y.n) return sign(x.n - y.n);
  }
  return sign(pa.revision - pb.revision);
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
