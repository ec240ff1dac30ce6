/**
 * How big each lab's standing pool is: the server's standingPool.sizes
 * ("intro=2") where given, else the lab's own front matter `pool:`; only labs
 * this server can run, and only those with a size above zero.
 *
 *   await standingSizes(labs, ['intro=2'])   // [{ labId: 'intro', size: 2 }]
 */
import type { LabCatalog } from '../services';

export async function standingSizes(labs: Pick<LabCatalog, 'list'>, overrides: readonly string[]): Promise<{ labId: string; size: number }[]> {
  const given = new Map(overrides.map((o) => {
    const [id, size] = o.split('=');
    return [id, Number(size)] as const;
  }));
  return (await labs.list())
    .filter((l) => l.available)
    .map((l) => ({ labId: l.id, size: given.get(l.id) ?? l.pool ?? 0 }))
    .filter((s) => s.size > 0);
}
