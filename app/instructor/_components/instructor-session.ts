// Server components reach the signed-in instructor through the composition root's auth.
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getServicesSlot } from '@/runtime/services';
import type { AppServices } from '@/runtime/app-services';
import { instructorOf, type Instructor } from '@/runtime/auth/instructor-of';

export function appServices(): AppServices {
  return getServicesSlot<AppServices>();
}

/** The instructor, or a redirect to the sign-in page. */
export async function requireInstructor(): Promise<Instructor> {
  const who = await instructorOf(appServices().auth, await headers());
  if (!who) redirect('/instructor/sign-in');
  return who;
}
