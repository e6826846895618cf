import jwt from 'jsonwebtoken';
import type { AppConfig } from '../../config/config.loader.js';
import { AccessTokenVerifier } from './access-tokens.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const config = { JWT_SECRET_KEY: SECRET, JWT_ISSUER: 'course-companion' } as AppConfig;
const T0 = 1_800_000_000_000;
const claims = { sub: '7d4c2f9e-5b1a-4c3d-8e6f-1a2b3c4d5e6f', role: 'student' };
const sign = (options: jwt.SignOptions = {}, secret: string = SECRET) =>
  jwt.sign({ ...claims, iat: T0 / 1000 }, secret, { algorithm: 'HS256', issuer: 'course-companion', expiresIn: 60, ...options });

describe('AccessTokenVerifier', () => {
  it('accepts our tokens, and a remembered one only until it expires', () => {
    const verifier = new AccessTokenVerifier(config);
    const token = sign();
    expect(verifier.check(token, T0)).toMatchObject({ ok: true, claims });
    expect(verifier.check(token, T0 + 59_999)).toMatchObject({ ok: true, claims });
    expect(verifier.check(token, T0 + 60_000)).toEqual({ ok: false, reason: 'expired' });
    // Not remembered: the same answer from jsonwebtoken itself.
    expect(new AccessTokenVerifier(config).check(token, T0 + 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another key, another issuer, another algorithm and alg none', () => {
    const verifier = new AccessTokenVerifier(config);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, iss: 'course-companion', exp: T0 / 1000 + 60 }),
    ).toString('base64url')}.`;
    for (const token of [
      sign({}, 'another-secret-that-is-at-least-32-bytes-long'),
      sign({ issuer: 'someone-else' }),
      sign({ algorithm: 'HS512' }),
      unsigned,
      'not-a-token',
    ]) {
      expect(verifier.check(token, T0)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
