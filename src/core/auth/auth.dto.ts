import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const normaliseEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100)
  full_name!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'test@example.com' })
  @Transform(normaliseEmail)
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'password123' })
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(128)
  password!: string;
}

export class RegisterResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }) student_id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) full_name!: string;
  @ApiProperty({ enum: ['free'], example: 'free' }) subscription_tier!: 'free';
}

export class TokenResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) access_token!: string;
  @ApiProperty({ enum: ['bearer'], example: 'bearer' }) token_type!: 'bearer';
  @ApiProperty({ description: 'Seconds until the token expires', example: 3600 }) expires_in!: number;
}

export class MeResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }) student_id!: string;
  @ApiProperty({ example: 'test@example.com' }) email!: string;
  @ApiProperty({ example: 'Test Student' }) full_name!: string;
  @ApiProperty({ enum: ['free', 'premium'], example: 'free' }) subscription_tier!: 'free' | 'premium';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  subscription_expires_at!: string | null;
  @ApiProperty({ enum: ['student', 'admin'], example: 'student' }) role!: 'student' | 'admin';
}
