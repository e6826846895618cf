import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims } from '../../common/auth/index.js';
import { ApiException } from '../../common/errors/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import type { Student } from '../students/student.entity.js';
import { StudentsService } from '../students/students.service.js';
import { AuthAttempts } from './auth-attempts.js';
import type { LoginDto, MeResponseDto, RegisterDto, RegisterResponseDto, TokenResponseDto } from './auth.dto.js';
import { PasswordHasher } from './password-hasher.js';

/** The token's lifetime, told to the client beside it (the token itself is signed by AccessTokensModule). */
export const signInConfig = configSlice('sign-in', ['JWT_EXPIRES_IN']);

@Injectable()
export class AuthService {
  constructor(
    private readonly students: StudentsService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    @Inject(signInConfig.KEY) private readonly config: ConfigOf<typeof signInConfig>,
    private readonly attempts: AuthAttempts,
  ) {}

  async register(dto: RegisterDto, ip: string): Promise<RegisterResponseDto> {
    await this.attempts.beginRegister(ip);
    const student = await this.students.create({
      email: dto.email,
      passwordHash: await this.hasher.hash(dto.password),
      fullName: dto.full_name,
    });
    return {
      student_id: student.studentId,
      email: student.email,
      full_name: student.fullName,
      subscription_tier: 'free',
    };
  }

  async login(dto: LoginDto, ip: string): Promise<TokenResponseDto> {
    const attempt = await this.attempts.beginLogin(dto.email, ip);
    const student = await this.students.findCredentialsByEmail(dto.email);
    const valid = student
      ? await this.hasher.verify(student.passwordHash, dto.password)
      : await this.hasher.verifyAgainstNothing(dto.password);
    if (!student || !valid) throw ApiException.unauthorized('Invalid email or password');
    await attempt.succeeded();

    const claims: AccessTokenClaims = { sub: student.studentId, role: student.role };
    return {
      access_token: await this.jwt.signAsync(claims),
      token_type: 'bearer',
      expires_in: this.config.JWT_EXPIRES_IN,
    };
  }

  async me(studentId: string): Promise<MeResponseDto> {
    const student = await this.students.findById(studentId);
    if (!student) throw ApiException.unauthorized('The account for this token no longer exists');
    return toMe(student);
  }
}

/** The account as GET /api/v1/auth/me shows it. */
export function toMe(student: Student): MeResponseDto {
  return {
    student_id: student.studentId,
    email: student.email,
    full_name: student.fullName,
    subscription_tier: student.subscriptionTier,
    subscription_expires_at: student.subscriptionExpiresAt?.toISOString() ?? null,
    role: student.role,
  };
}
