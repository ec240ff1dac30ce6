/**
 * What the registry console specs share: the page's session and its token,
 * and the registry as a node of the session sees it (curl via the exec API).
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** The page's session id and its bearer token (from the HttpOnly cookie the browser holds). */
export async function sessionOf(page: Page) {
  const id = await page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.startsWith('labdock.session.')) return localStorage.getItem(key);
    }
    return null;
  });
  const token = (await page.context().cookies()).find((c) => c.name === `labdock_token_${id}`)?.value;
  expect(id && token, 'the page holds a session').toBeTruthy();
  return { id: id!, headers: { authorization: `Bearer ${token}` } };
}

export type Session = { id: string; headers: Record<string, string> };

export async function adminPassword(request: APIRequestContext, s: Session): Promise<string> {
  return (await (await request.get(`/api/sessions/${s.id}`, { headers: s.headers })).json()).registry.password;
}

/** Runs a command in node1 through the session's exec endpoint. */
export async function execIn(request: APIRequestContext, s: Session, command: string): Promise<{ exitCode: number; output: string }> {
  const res = await request.post(`/api/sessions/${s.id}/exec`, { headers: s.headers, data: { node: 'node1', command }, timeout: 90_000 });
  expect(res.status()).toBe(200);
  return res.json();
}

/** The registry API as curl in node1 sees it, as the session admin. */
export async function registryFromNode(request: APIRequestContext, s: Session, path: string) {
  const { exitCode, output } = await execIn(request, s, `curl -fsS -u 'admin:${await adminPassword(request, s)}' https://dtr.labdock${path}`);
  expect(exitCode, output).toBe(0);
  return JSON.parse(output);
}
