import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { UserThrottlerGuard } from '../throttling/throttler.guards.js';
import { AccessTokensModule } from './access-tokens.module.js';

/**
 * Authentication for every route: the token verifier and the fail-closed global guard, followed by
 * the per-student throttle (it needs to know who is calling; the per-address one runs earlier).
 */
@Module({})
export class AuthCommonModule {
  /** `accounts`: the modules that provide ACCOUNT_DIRECTORY (the app passes Core's). */
  static forRoot(accounts: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: AuthCommonModule,
      imports: [AccessTokensModule, ...accounts.imports],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: UserThrottlerGuard },
      ],
    };
  }
}
