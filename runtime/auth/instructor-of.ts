/**
 * The signed-in instructor of a request, or null. Type-only use of better-auth,
 * so pages and route handlers can import it without bundling the library
 * (the auth object itself lives in the server process).
 *
 *   const who = await instructorOf(services().auth, req.headers);
 */
import type { Auth } from './create-auth';

export type Instructor = { id: string; name: string; email: string; role: string };

export async function instructorOf(auth: Auth, headers: Headers): Promise<Instructor | null> {
  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  const u = found.user as typeof found.user & { role?: string };
  return { id: u.id, name: u.name, email: u.email, role: u.role ?? 'instructor' };
}
