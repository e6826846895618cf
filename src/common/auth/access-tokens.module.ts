import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule, type JwtModuleOptions } from '@nestjs/jwt';
import { AppConfigModule, configSlice, type ConfigOf } from '../../config/index.js';
import { AccessTokenVerifier, JWT_ALGORITHM } from './access-tokens.js';

export const accessTokenConfig = configSlice('access-tokens', ['JWT_SECRET_KEY', 'JWT_ISSUER', 'JWT_EXPIRES_IN']);

/** How our access tokens are signed and verified: one library (@nestjs/jwt), one algorithm, our issuer. */
export function accessTokenOptions(config: ConfigOf<typeof accessTokenConfig>): JwtModuleOptions {
  return {
    // A key object made once: given a string, jsonwebtoken tries (and fails) to parse it as a
    // public key first, on every call.
    secret: createSecretKey(Buffer.from(config.JWT_SECRET_KEY, 'utf8')),
    signOptions: { algorithm: JWT_ALGORITHM, expiresIn: config.JWT_EXPIRES_IN, issuer: config.JWT_ISSUER },
    // HS256 only: `alg: none` and every other algorithm are refused.
    verifyOptions: { algorithms: [JWT_ALGORITHM], issuer: config.JWT_ISSUER },
  };
}

/**
 * Access tokens: JwtService signs them (core's sign-in) and AccessTokenVerifier checks them (the
 * global guard), both with the options above.
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      imports: [AppConfigModule.forFeature(accessTokenConfig)],
      inject: [accessTokenConfig.KEY],
      useFactory: accessTokenOptions,
    }),
  ],
  providers: [AccessTokenVerifier],
  exports: [JwtModule, AccessTokenVerifier],
})
export class AccessTokensModule {}
