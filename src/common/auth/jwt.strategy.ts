import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AppConfig } from '../../config/config.loader.js';
import type { AccessTokenClaims, AuthenticatedStudent } from './authenticated-student.js';

export const JWT_ALGORITHM = 'HS256';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: ConfigService<AppConfig, true>) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.get('JWT_SECRET_KEY', { infer: true }),
      issuer: config.get('JWT_ISSUER', { infer: true }),
      // Only HS256: `alg: none` and tokens for other algorithms are refused outright.
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): AuthenticatedStudent | false {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (typeof claims.sub !== 'string' || !uuid.test(claims.sub)) return false;
    if (claims.role !== 'student' && claims.role !== 'admin') return false;
    return { studentId: claims.sub, role: claims.role };
  }
}
