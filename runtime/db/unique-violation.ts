/**
 * Which unique constraint a write broke, the same way on both databases.
 * Prisma reports P2002 with the driver adapter's view of it, and the two
 * adapters differ: better-sqlite3 names the fields (`constraint.fields`), pg
 * names the index (`constraint.index`, Prisma's `<Model>_<field>_<field>_key`,
 * the name both migration sets give it: schema-drift.test.ts keeps them equal).
 *
 *   catch (err) { if (violatesUnique(err, 'Attendee', ['workshopId', 'displayName'])) … }
 */
interface Constraint { fields?: string[]; index?: string }

function constraintOf(err: unknown): Constraint | null {
  const e = err as { code?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { kind?: string; constraint?: Constraint } } } };
  if (e?.code !== 'P2002') return null;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause?.kind === 'UniqueConstraintViolation' && cause.constraint) return cause.constraint;
  // Without a driver adapter (Prisma's own engines) the fields are in meta.target.
  const target = e.meta?.target;
  if (Array.isArray(target)) return { fields: target as string[] };
  if (typeof target === 'string') return { index: target };
  return {};
}

/** True when err is a unique violation of exactly these fields of model. */
export function violatesUnique(err: unknown, model: string, fields: string[]): boolean {
  const c = constraintOf(err);
  if (!c) return false;
  if (c.fields) return c.fields.length === fields.length && c.fields.every((f, i) => f === fields[i]);
  return c.index === `${model}_${fields.join('_')}_key`;
}

export function isUniqueViolation(err: unknown): boolean {
  return constraintOf(err) !== null;
}
