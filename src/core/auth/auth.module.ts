import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { JWT_ALGORITHM } from '../../common/auth/index.js';
import type { AppConfig } from '../../config/index.js';
import { StudentsModule } from '../students/students.module.js';
import { AuthAttempts } from './auth-attempts.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { PasswordHasher } from './password-hasher.js';

@Module({
  imports: [
    StudentsModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        secret: config.get('JWT_SECRET_KEY', { infer: true }),
        signOptions: {
          algorithm: JWT_ALGORITHM,
          expiresIn: config.get('JWT_EXPIRES_IN', { infer: true }),
          issuer: config.get('JWT_ISSUER', { infer: true }),
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthAttempts, PasswordHasher],
  exports: [PasswordHasher],
})
export class AuthModule {}
