/**
 * What an instructor sends to create or edit a workshop: one schema, used by
 * the route handlers and the services alike.
 *
 *   const input = workshopInput.parse(body);
 */
import { z } from 'zod';

const labId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lab ids are lowercase letters, digits and dashes');

export const workshopInput = z.object({
  name: z.string().trim().min(1).max(120),
  labs: z.array(labId).min(1).max(20),
  // 500 seats: far beyond one host, but a cohort spread over a day's sessions can be big.
  seats: z.number().int().min(1).max(500),
  opensAt: z.coerce.date(),
  closesAt: z.coerce.date(),
  sessionMinutes: z.number().int().min(5).max(24 * 60),
  mayExtend: z.boolean().default(false),
  allowEmails: z.array(z.string().trim().toLowerCase().regex(/^[^@\s]+@[^@\s]+$/, 'not an email address')).max(1000).default([]),
  allowDomain: z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain like example.org').nullable().default(null),
  askEmail: z.boolean().default(false),
  poolLeadMinutes: z.number().int().min(0).max(24 * 60).default(10),
}).strict().refine((w) => w.closesAt > w.opensAt, { message: 'a workshop closes after it opens', path: ['closesAt'] });

export type WorkshopInput = z.infer<typeof workshopInput>;

export const joinInput = z.object({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{4,12}$/, 'a join code is 4–12 letters and digits'),
  displayName: z.string().trim().min(1).max(60),
  email: z.string().trim().toLowerCase().regex(/^[^@\s]+@[^@\s]+$/, 'not an email address').max(200).optional(),
}).strict();

export type JoinInput = z.infer<typeof joinInput>;
