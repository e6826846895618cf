import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG } from '../../config/index.js';
import type { AppConfig } from '../../config/index.js';

export const JWT_ALGORITHM = 'HS256';

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'expired' | 'invalid' };

/** Enough for every student active within a token's lifetime on one instance; past it, start over. */
const MAX_REMEMBERED = 20_000;

/**
 * Verifies access tokens: HS256 only (`alg: none` and every other algorithm are refused), our
 * issuer, an expiry that has not passed. A token's signature and claims never change, so a token verified once is
 * remembered until it expires instead of being verified again on each of its requests.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly key: KeyObject;
  private readonly verified = new Map<string, { claims: Record<string, unknown>; expiresAtMs: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // A key object made once: given a string, jsonwebtoken tries (and fails) to parse it as a
    // public key first, on every call.
    this.key = createSecretKey(Buffer.from(config.JWT_SECRET_KEY, 'utf8'));
  }

  check(token: string, now = Date.now()): TokenCheck {
    const known = this.verified.get(token);
    if (known) return known.expiresAtMs > now ? { ok: true, claims: known.claims } : { ok: false, reason: 'expired' };
    let claims: Record<string, unknown>;
    try {
      const decoded = jwt.verify(token, this.key, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        clockTimestamp: Math.floor(now / 1000),
      });
      if (typeof decoded === 'string') return { ok: false, reason: 'invalid' };
      claims = decoded;
    } catch (error) {
      return { ok: false, reason: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
    }
    // Our tokens always carry `exp`: one without it would never expire, so it is refused.
    if (typeof claims.exp !== 'number') return { ok: false, reason: 'invalid' };
    if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    this.verified.set(token, { claims, expiresAtMs: claims.exp * 1000 });
    return { ok: true, claims };
  }
}
