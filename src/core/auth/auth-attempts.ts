import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { HIT_COUNTER, type HitCounter } from '../../common/throttling/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';

export const authAttemptsConfig = configSlice('auth-attempts', ['AUTH_WINDOW_SECONDS', 'LOGIN_MAX_FAILURES', 'REGISTER_LIMIT_PER_IP']);

/**
 * Brute-force limits on the credential routes, stricter than the per-address throttle:
 * login attempts per email and address (a success clears them), registrations per address.
 */
@Injectable()
export class AuthAttempts {
  constructor(
    @Inject(HIT_COUNTER) private readonly counter: HitCounter,
    @Inject(authAttemptsConfig.KEY) private readonly config: ConfigOf<typeof authAttemptsConfig>,
  ) {}

  /**
   * Takes one login attempt for this email from this address. Every attempt counts until one
   * succeeds, so concurrent guesses cannot slip past the limit between check and count.
   */
  async beginLogin(email: string, ip: string): Promise<{ succeeded: () => Promise<void> }> {
    // The email is hashed: the counter store holds no personal data.
    const key = `login:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}:${ip}`;
    await this.take(key, this.config.LOGIN_MAX_FAILURES, 'Too many failed sign-in attempts for this account');
    return { succeeded: () => this.counter.reset(key) };
  }

  async beginRegister(ip: string): Promise<void> {
    await this.take(`register:${ip}`, this.config.REGISTER_LIMIT_PER_IP, 'Too many accounts created from this address');
  }

  private async take(key: string, limit: number, message: string): Promise<void> {
    const { count, ttlMs } = await this.counter.hit(key, this.config.AUTH_WINDOW_SECONDS * 1000);
    if (count > limit) {
      throw new ApiException('TOO_MANY_REQUESTS', `${message}; try again after the time given in Retry-After`, {
        retry_after_seconds: Math.max(1, Math.ceil(ttlMs / 1000)),
      });
    }
  }
}
