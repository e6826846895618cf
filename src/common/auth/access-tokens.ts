import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { Memo } from '../cache/memo.js';
import type { AuthenticatedStudent } from './authenticated-student.js';

export const JWT_ALGORITHM = 'HS256';

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'expired' | 'invalid' };

/** An Authorization header checked: the student and role its token claims, or why not. */
export type BearerCheck = ({ ok: true } & AuthenticatedStudent) | { ok: false; reason: 'expired' | 'invalid' };

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Enough for every student active within a token's lifetime on one instance; past it, the least recent go. */
const MAX_REMEMBERED = 20_000;

/**
 * Verifies access tokens with the module's options (access-tokens.module.ts): HS256 only, our
 * issuer, an expiry that has not passed. A token's signature and claims never change, so a token
 * verified once is remembered until it expires instead of being verified again on each of its requests.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verified = new Memo<{ claims: Record<string, unknown>; expiresAtMs: number }>({ max: MAX_REMEMBERED });

  constructor(private readonly jwt: JwtService) {}

  /**
   * The header's bearer token verified, with claims of our shape (a UUID subject, a known role).
   * Says nothing of whether the account still exists: the auth guard asks that.
   */
  bearer(authorization: string | undefined): BearerCheck {
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) return { ok: false, reason: 'invalid' };
    const check = this.check(token);
    if (!check.ok) return check;
    const { sub, role } = check.claims;
    if (typeof sub !== 'string' || !UUID.test(sub) || (role !== 'student' && role !== 'admin')) return { ok: false, reason: 'invalid' };
    return { ok: true, studentId: sub, role };
  }

  check(token: string, now = Date.now()): TokenCheck {
    const known = this.verified.peek(token);
    if (known) return known.expiresAtMs > now ? { ok: true, claims: known.claims } : { ok: false, reason: 'expired' };
    let claims: Record<string, unknown>;
    try {
      const decoded: unknown = this.jwt.verify(token, { clockTimestamp: Math.floor(now / 1000) });
      if (typeof decoded !== 'object' || decoded === null) return { ok: false, reason: 'invalid' };
      claims = decoded as Record<string, unknown>;
    } catch (error) {
      return { ok: false, reason: error instanceof TokenExpiredError ? 'expired' : 'invalid' };
    }
    // Our tokens always carry `exp`: one without it would never expire, so it is refused.
    if (typeof claims.exp !== 'number') return { ok: false, reason: 'invalid' };
    this.verified.set(token, { claims, expiresAtMs: claims.exp * 1000 });
    return { ok: true, claims };
  }
}
