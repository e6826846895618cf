import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../../common/auth/index.js';
import { AppConfigModule } from '../../config/index.js';
import { StudentsModule } from '../students/students.module.js';
import { AuthAttempts, authAttemptsConfig } from './auth-attempts.js';
import { AuthController } from './auth.controller.js';
import { AuthService, signInConfig } from './auth.service.js';
import { PasswordHasher } from './password-hasher.js';

@Module({
  imports: [StudentsModule, AccessTokensModule, AppConfigModule.forFeature(signInConfig, authAttemptsConfig)],
  controllers: [AuthController],
  providers: [AuthService, AuthAttempts, PasswordHasher],
  exports: [PasswordHasher],
})
export class AuthModule {}
