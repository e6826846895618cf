import { createHmac } from 'node:crypto';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { AccessTokenVerifier } from './access-tokens.js';
import { accessTokenOptions } from './access-tokens.module.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const T0 = 1_800_000_000_000;
const claims = { sub: '7d4c2f9e-5b1a-4c3d-8e6f-1a2b3c4d5e6f', role: 'student' };
const jwt = new JwtService(accessTokenOptions({ JWT_SECRET_KEY: SECRET, JWT_ISSUER: 'course-companion', JWT_EXPIRES_IN: 60 }));
const verifier = () => new AccessTokenVerifier(jwt);
const sign = (options: JwtSignOptions = {}) => jwt.sign({ ...claims, iat: T0 / 1000 }, options);
const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
/** Signed with our key by hand, with claims our signer would never write. */
const forge = (payload: object) => {
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
};

describe('AccessTokenVerifier', () => {
  it('signs with HS256, our issuer and an expiry', () => {
    const [header, payload] = sign().split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ ...claims, iat: 1_800_000_000, exp: 1_800_000_060, iss: 'course-companion' });
  });

  it('accepts our tokens, and a remembered one only until it expires', () => {
    const remembering = verifier();
    const token = sign();
    expect(remembering.check(token, T0)).toMatchObject({ ok: true, claims });
    expect(remembering.check(token, T0 + 59_999)).toMatchObject({ ok: true, claims });
    expect(remembering.check(token, T0 + 60_000)).toEqual({ ok: false, reason: 'expired' });
    // Not remembered: the same answer from the library itself.
    expect(verifier().check(token, T0 + 60_000)).toEqual({ ok: false, reason: 'expired' });
    // A hand-signed token with every claim passes too (the refusals below are not the signing's fault).
    expect(verifier().check(forge({ ...claims, iss: 'course-companion', exp: T0 / 1000 + 60 }), T0)).toMatchObject({ ok: true, claims });
  });

  it('refuses another key, another issuer, another algorithm, alg none and a token without exp', () => {
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, iss: 'course-companion', exp: T0 / 1000 + 60 })}.`;
    for (const token of [
      sign({ secret: 'another-secret-that-is-at-least-32-bytes-long' }),
      sign({ issuer: 'someone-else' }),
      sign({ algorithm: 'HS512' }),
      forge({ ...claims, iat: T0 / 1000, iss: 'course-companion' }),
      unsigned,
      'not-a-token',
    ]) {
      expect(verifier().check(token, T0)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
