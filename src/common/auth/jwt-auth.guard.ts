import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Memo } from '../cache/memo.js';
import { ApiException } from '../errors/api.exception.js';
import { ACCOUNT_DIRECTORY, type AccountDirectory } from './account-directory.js';
import { AccessTokenVerifier } from './access-tokens.js';
import type { AuthenticatedStudent } from './authenticated-student.js';
import { PublicRoutes } from './public.decorator.js';

/** How long an instance trusts that a token's account still exists (and its role), to spare a query per request. */
const ACCOUNT_TTL_MS = 5000;
const MAX_CACHED_ACCOUNTS = 50_000;

/**
 * Global guard: every route needs a valid bearer token unless it is marked @Public(). A valid
 * signature is not enough: the account must still exist, and its role is the one stored now, not
 * the one in the token. A database failure is thrown (503), not taken as a bad token.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly accounts = new Memo<Promise<AuthenticatedStudent['role'] | null>>({ max: MAX_CACHED_ACCOUNTS, ttlMs: ACCOUNT_TTL_MS });

  private readonly publicRoutes: PublicRoutes;

  constructor(
    reflector: Reflector,
    private readonly tokens: AccessTokenVerifier,
    @Inject(ACCOUNT_DIRECTORY) private readonly directory: AccountDirectory,
  ) {
    this.publicRoutes = new PublicRoutes(reflector);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.publicRoutes.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedStudent }>();
    const check = this.tokens.bearer(request.headers.authorization);
    if (!check.ok) {
      throw ApiException.unauthorized(check.reason === 'expired' ? 'The access token has expired' : 'A valid bearer token is required');
    }
    const current = await this.roleOf(check.studentId);
    if (!current) throw ApiException.unauthorized('A valid bearer token is required');
    request.user = { studentId: check.studentId, role: current };
    return true;
  }

  private roleOf(studentId: string): Promise<AuthenticatedStudent['role'] | null> {
    return this.accounts.get(studentId, () => this.directory.roleOf(studentId));
  }
}
