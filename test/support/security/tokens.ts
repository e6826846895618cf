import { createHmac } from 'node:crypto';
import { TEST_JWT_SECRET } from '../test-app.js';

const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

export function signJwt(header: object, payload: object, secret = TEST_JWT_SECRET, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  const body = `${enc(header)}.${enc(payload)}`;
  return `${body}.${createHmac(algorithm, secret).update(body).digest('base64url')}`;
}

/** Claims as the app issues them (see auth.service.ts), valid for ten minutes. */
export function claims(sub: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub, role: 'student', iss: 'course-companion', iat: now, exp: now + 600, ...extra };
}

/** A correctly signed token: only the test knows the secret, so this stands for a token the app issued. */
export const validToken = (sub: string, extra: Record<string, unknown> = {}): string =>
  `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, claims(sub, extra))}`;

export type HostileAuth = { name: string; header: string | undefined; message?: string };

/**
 * Authorization values that must all be refused with 401. `real` is a genuine "Bearer <jwt>" of
 * `studentId`; the forged ones claim admin for that same student so that a bypass would show.
 */
export function hostileAuthorizations(studentId: string, real: string): HostileAuth[] {
  const now = Math.floor(Date.now() / 1000);
  const admin = claims(studentId, { role: 'admin' });
  const jwt = real.slice('Bearer '.length);
  const [h, , sig] = jwt.split('.');
  return [
    { name: 'no token', header: undefined },
    {
      name: 'expired token',
      header: `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, claims(studentId, { iat: now - 7200, exp: now - 3600 }))}`,
      message: 'The access token has expired',
    },
    { name: 'alg none', header: `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc(admin)}.` },
    { name: 'alg NONE with a signature', header: `Bearer ${enc({ alg: 'NONE', typ: 'JWT' })}.${enc(admin)}.${sig}` },
    { name: 'signed with another key', header: `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, admin, 'another-secret-of-a-perfectly-fine-length-0000')}` },
    { name: 'HS512 with the right key', header: `Bearer ${signJwt({ alg: 'HS512', typ: 'JWT' }, admin, TEST_JWT_SECRET, 'sha512')}` },
    { name: 'another issuer', header: `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { ...admin, iss: 'someone-else' })}` },
    { name: 'payload swapped under a real signature', header: `Bearer ${h}.${enc(admin)}.${sig}` },
    { name: 'truncated signature', header: real.slice(0, -6) },
    { name: 'subject is SQL', header: validToken("' OR '1'='1") },
    { name: 'unknown role', header: validToken(studentId, { role: 'superuser' }) },
    { name: 'Bearer alone', header: 'Bearer' },
    { name: 'Bearer and a space', header: 'Bearer ' },
    { name: 'not a JWT', header: 'Bearer not.a.jwt' },
    { name: 'two segments', header: `Bearer ${h}.${sig}` },
    { name: 'Basic scheme', header: 'Basic dGVzdEBleGFtcGxlLmNvbTpwYXNzd29yZDEyMw==' },
    { name: 'token without a scheme', header: jwt },
    { name: 'another scheme with the real token', header: `Token ${jwt}` },
    { name: 'an 8 KB token', header: `Bearer ${'A'.repeat(8192)}` },
  ];
}
