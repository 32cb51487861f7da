import {
  clearSessionCookie,
  isSessionIdShape,
  readSessionCookie,
  sessionCookie,
} from '../../../src/sessions/session-cookie';
import { randomSecret } from '../../../src/security/secrets';

const secure = { name: '__Host-tollgate_session', secure: true };
const local = { name: 'tollgate_session', secure: false };
const id = randomSecret();

describe('session cookie', () => {
  it('is HttpOnly, Secure, SameSite=Lax, host-only on Path=/ and lives as long as the session', () => {
    const now = 1_700_000_000_000;
    const cookie = sessionCookie(secure, id, new Date(now + 3_599_600), now);
    expect(cookie).toBe(
      `__Host-tollgate_session=${id}; Path=/; Max-Age=3599; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('leaves Secure out only when configured off (local http)', () => {
    const cookie = sessionCookie(local, id, new Date(Date.now() + 60_000));
    expect(cookie).toMatch(/^tollgate_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=(59|60); /);
    expect(cookie).toContain('HttpOnly; SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });

  it('never gives a negative Max-Age for a session that just expired', () => {
    expect(sessionCookie(local, id, new Date(1000), 5000)).toContain('Max-Age=0;');
  });

  it('refuses to put anything but a session id in the cookie', () => {
    expect(() => sessionCookie(local, 'a;b', new Date())).toThrow(RangeError);
  });

  it('clears the cookie with the same attributes and Max-Age=0', () => {
    expect(clearSessionCookie(secure)).toBe(
      '__Host-tollgate_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('reads the id from a Cookie header among other cookies, first one winning', () => {
    const other = randomSecret();
    const header = `theme=dark; tollgate_session=${id}; tollgate_session=${other}`;
    expect(readSessionCookie(header, 'tollgate_session')).toBe(id);
    expect(readSessionCookie('theme=dark', 'tollgate_session')).toBeUndefined();
    expect(readSessionCookie(undefined, 'tollgate_session')).toBeUndefined();
    expect(readSessionCookie('tollgate_session=short', 'tollgate_session')).toBeUndefined();
    expect(readSessionCookie(`xtollgate_session=${id}`, 'tollgate_session')).toBeUndefined();
  });

  it('recognises only 256-bit base64url ids', () => {
    expect(isSessionIdShape(id)).toBe(true);
    expect(isSessionIdShape(`${id}A`)).toBe(false);
    expect(isSessionIdShape(undefined)).toBe(false);
  });
});
