import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import { ApiException } from '../common/errors/index.js';
import { clientGone } from './client-gone.js';

/** A claim table: one row per key, taken for a while by one build id (see the builds repositories). */
export type BuildClaims = {
  claim(key: string, buildId: string, ttlSeconds: number): Promise<boolean>;
  release(key: string, buildId: string): Promise<void>;
};

export type ClaimedWork<T> = {
  /** The result, if a build already made it (stored where every instance sees it). */
  ready: () => Promise<T | null | undefined>;
  build: () => Promise<T>;
};

const POLL_MS = 100;

/**
 * One build per key at a time, across instances: the request that claims the key builds (and
 * pays), the others poll for its result instead of building again, and give up with SERVICE_BUSY
 * once the claim has had its time. A claim left by a dead build expires by itself.
 */
export async function runClaimed<T>(
  claims: BuildClaims,
  key: string,
  o: { claimSeconds: number; signal?: AbortSignal; busyMessage: string; logger: Logger },
  work: ClaimedWork<T>,
): Promise<T> {
  const giveUpAt = Date.now() + o.claimSeconds * 1000 + 1000;
  for (;;) {
    if (o.signal?.aborted) throw clientGone();
    const buildId = randomUUID();
    if (await claims.claim(key, buildId, o.claimSeconds)) {
      try {
        // A build that finished just before this claim already made the result.
        return (await work.ready()) ?? (await work.build());
      } finally {
        await claims.release(key, buildId).catch((error: unknown) => {
          // The claim expires by itself; meanwhile the other requests wait for it or give up.
          o.logger.warn({ err: error }, 'Could not release a build claim');
        });
      }
    }
    await sleep(POLL_MS);
    const ready = await work.ready();
    if (ready !== null && ready !== undefined) return ready;
    if (Date.now() > giveUpAt) throw new ApiException('SERVICE_BUSY', o.busyMessage, { retry_after_seconds: 2 });
  }
}
