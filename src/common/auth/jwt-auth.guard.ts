import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiException } from '../errors/api.exception.js';
import { IS_PUBLIC } from './public.decorator.js';

/** Global guard: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    // An error while checking the account (the database is down) is not the caller's fault.
    if (err instanceof Error) throw err;
    if (err) throw new Error('authentication failed unexpectedly');
    if (!user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw ApiException.unauthorized(expired ? 'The access token has expired' : 'A valid bearer token is required');
    }
    return user;
  }
}
