/**
 * Creating and editing workshops. Every lab must exist (and run here) when the
 * workshop is saved; the join code is fresh, random and unambiguous to read
 * off a projector.
 *
 *   const w = await createWorkshop({ db, labs }, instructor.id, input);
 *   w.joinCode   // 'K7Q2MXRA'
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../db/open-database';
import type { LabCatalog } from '../services';
import { HttpError } from '../http/http-error';
import type { WorkshopInput } from './workshop-input';

/** No 0/O, 1/I/L: codes are read aloud and typed from a screen. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 31^8 ≈ 8.5e11 codes: finding a live one by guessing takes on the order of 1e11 requests per open workshop. */
const CODE_LENGTH = 8;

export function newJoinCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

interface Deps { db: Db; labs: LabCatalog }

async function checkLabs(labs: LabCatalog, ids: string[]): Promise<void> {
  const list = await labs.list();
  for (const id of ids) {
    const lab = list.find((l) => l.id === id);
    if (!lab) throw new HttpError(400, `unknown lab: ${id}`);
    if (!lab.available) throw new HttpError(400, `lab ${id} cannot run on this server: ${lab.unavailableReason ?? 'unavailable'}`);
  }
}

function columns(input: WorkshopInput) {
  return {
    name: input.name,
    labIds: JSON.stringify(input.labs),
    seats: input.seats,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    sessionMinutes: input.sessionMinutes,
    mayExtend: input.mayExtend,
    allowEmails: JSON.stringify(input.allowEmails),
    allowDomain: input.allowDomain,
    // An allow-list is checked by email, so the email is always asked then.
    askEmail: input.askEmail || input.allowEmails.length > 0 || !!input.allowDomain,
    poolLeadMinutes: input.poolLeadMinutes,
  };
}

export async function createWorkshop({ db, labs }: Deps, ownerId: string, input: WorkshopInput) {
  await checkLabs(labs, input.labs);
  return db.workshop.create({ data: { ...columns(input), ownerId, joinCode: newJoinCode() } });
}

export async function updateWorkshop({ db, labs }: Deps, id: string, input: WorkshopInput) {
  await checkLabs(labs, input.labs);
  const seated = await db.attendee.count({ where: { workshopId: id } });
  if (input.seats < seated) throw new HttpError(409, `${seated} attendees have joined already: seats cannot go below that`);
  return db.workshop.update({ where: { id }, data: columns(input) });
}
