import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/authenticated-student.js';
import { CurrentStudent } from '../../common/auth/current-student.decorator.js';
import { Public } from '../../common/auth/public.decorator.js';
import { ApiRoute } from '../../common/http/api-docs.js';
import { LoginDto, MeResponseDto, RegisterDto, RegisterResponseDto, TokenResponseDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiRoute({
    operationId: 'register',
    summary: 'Create a free student account',
    description: 'The email is trimmed and lower-cased; an email already registered is a CONFLICT. Limited per address.',
    isPublic: true,
    errors: ['VALIDATION_ERROR', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'TOO_MANY_REQUESTS'],
  })
  @ApiCreatedResponse({ type: RegisterResponseDto, description: 'The new account' })
  register(@Body() dto: RegisterDto, @Ip() ip: string): Promise<RegisterResponseDto> {
    return this.auth.register(dto, ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'login',
    summary: 'Exchange email and password for a bearer token',
    description: 'Wrong credentials are UNAUTHORIZED, whichever part is wrong; repeated failures for an account are limited (TOO_MANY_REQUESTS).',
    isPublic: true,
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'PAYLOAD_TOO_LARGE', 'TOO_MANY_REQUESTS'],
  })
  @ApiOkResponse({ type: TokenResponseDto, description: 'A bearer token' })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<TokenResponseDto> {
    return this.auth.login(dto, ip);
  }

  @Get('me')
  @ApiRoute({ operationId: 'getMe', summary: 'The signed-in student', description: 'The account of the bearer token, with its subscription and role as stored now.' })
  @ApiOkResponse({ type: MeResponseDto, description: 'The account' })
  me(@CurrentStudent() caller: AuthenticatedStudent): Promise<MeResponseDto> {
    return this.auth.me(caller.studentId);
  }
}
