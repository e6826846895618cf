import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { Memo } from '../cache/memo.js';

export const JWT_ALGORITHM = 'HS256';

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'expired' | 'invalid' };

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
