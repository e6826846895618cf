import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AppConfig } from '../../config/config.loader.js';
import type { AccessTokenClaims, AuthenticatedStudent } from './authenticated-student.js';

export const JWT_ALGORITHM = 'HS256';

/** How long an instance trusts that a token's account still exists (and its role), to spare a query per request. */
const ACCOUNT_TTL_MS = 5000;
const MAX_CACHED_ACCOUNTS = 50_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly accounts = new Map<string, { at: number; role: AuthenticatedStudent['role'] | null }>();

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A key object, made once: given a string or Buffer, jsonwebtoken first tries (and fails) to
      // parse it as a public key on every request, a third of a request's CPU. passport-jwt hands
      // the key to jsonwebtoken as it is; only its type declaration predates KeyObject.
      secretOrKey: createSecretKey(Buffer.from(config.get('JWT_SECRET_KEY', { infer: true }), 'utf8')) as unknown as Buffer,
      issuer: config.get('JWT_ISSUER', { infer: true }),
      // Only HS256: `alg: none` and tokens for other algorithms are refused outright.
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  /**
   * A valid signature is not enough: the account must still exist, and its role is the one stored
   * now, not the one in the token. A database failure is thrown (503), not taken as a bad token.
   */
  async validate(claims: AccessTokenClaims): Promise<AuthenticatedStudent | false> {
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return false;
    if (claims.role !== 'student' && claims.role !== 'admin') return false;
    const role = await this.roleOf(claims.sub);
    return role ? { studentId: claims.sub, role } : false;
  }

  private async roleOf(studentId: string): Promise<AuthenticatedStudent['role'] | null> {
    const cached = this.accounts.get(studentId);
    if (cached && Date.now() - cached.at < ACCOUNT_TTL_MS) return cached.role;
    const rows = await this.db.query<{ role: AuthenticatedStudent['role'] }[]>(
      'SELECT role FROM students WHERE student_id = $1',
      [studentId],
    );
    const role = rows[0]?.role ?? null;
    if (this.accounts.size >= MAX_CACHED_ACCOUNTS) this.accounts.clear();
    this.accounts.set(studentId, { at: Date.now(), role });
    return role;
  }
}
