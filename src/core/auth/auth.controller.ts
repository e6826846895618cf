import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/index.js';
import { CurrentStudent } from '../../common/auth/index.js';
import { Public } from '../../common/auth/index.js';
import { ApiRoute } from '../../common/http/index.js';
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
    isPublic: true,
    errors: ['VALIDATION_ERROR', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'TOO_MANY_REQUESTS'],
  })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  register(@Body() dto: RegisterDto, @Ip() ip: string): Promise<RegisterResponseDto> {
    return this.auth.register(dto, ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'login',
    summary: 'Exchange email and password for a bearer token',
    isPublic: true,
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS'],
  })
  @ApiOkResponse({ type: TokenResponseDto })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<TokenResponseDto> {
    return this.auth.login(dto, ip);
  }

  @Get('me')
  @ApiRoute({ operationId: 'getMe', summary: 'The signed-in student' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentStudent() caller: AuthenticatedStudent): Promise<MeResponseDto> {
    return this.auth.me(caller.studentId);
  }
}
