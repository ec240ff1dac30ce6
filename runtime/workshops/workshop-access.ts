/**
 * Who may do what to a workshop, as data (roles → actions), checked where a
 * request enters. Owners manage their own workshops; admins manage all.
 *
 *   assertCan(instructor, 'manage', workshop)   // throws 404 (not 403: ids reveal nothing)
 */
import { HttpError } from '../http/http-error';

export type WorkshopAction = 'create' | 'view' | 'manage';
type Scope = 'any' | 'own';

export const ROLES: Record<string, Partial<Record<WorkshopAction, Scope>>> = {
  admin: { create: 'any', view: 'any', manage: 'any' },
  instructor: { create: 'own', view: 'own', manage: 'own' },
};

export function can(who: { id: string; role: string }, action: WorkshopAction, workshop?: { ownerId: string }): boolean {
  const scope = ROLES[who.role]?.[action];
  if (!scope) return false;
  return scope === 'any' || !workshop || workshop.ownerId === who.id;
}

export function assertCan(who: { id: string; role: string } | null, action: WorkshopAction, workshop?: { ownerId: string } | null): void {
  if (!who) throw new HttpError(401, 'sign in as an instructor first');
  if (workshop === null) throw new HttpError(404, 'no such workshop');
  if (!can(who, action, workshop)) throw new HttpError(action === 'create' ? 403 : 404, action === 'create' ? 'your account may not create workshops' : 'no such workshop');
}
