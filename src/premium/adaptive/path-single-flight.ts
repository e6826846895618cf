import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { clientGone } from '../client-gone.js';
import { AdaptivePathBuildsRepository } from './adaptive-path-builds.repository.js';
import { PATH_LLM_DEADLINE_MS } from './path-generator.js';

/**
 * How long one student's plain build may run before another request may take it over: the model's
 * deadline and a margin for the queries around it. A claim left by a build that died (its process,
 * or the database under it) stops others for no longer than this.
 */
export const BUILD_CLAIM_SECONDS = Math.ceil(PATH_LLM_DEADLINE_MS / 1000) + 4;
/** A waiting request gives up once the build it waits for has had its claim's time; it looks this often. */
const WAIT_MS = BUILD_CLAIM_SECONDS * 1000 + 1000;
const POLL_MS = 100;

/**
 * One build per student at a time, across instances: the request that claims the build runs it,
 * the others wait for its result (`ready`) instead of building (and paying) again.
 */
@Injectable()
export class PathSingleFlight {
  private readonly logger = new Logger('AdaptivePaths');

  constructor(private readonly builds: AdaptivePathBuildsRepository) {}

  async run<T>(studentId: string, signal: AbortSignal | undefined, work: { ready: () => Promise<T | null>; build: () => Promise<T> }): Promise<T> {
    const giveUpAt = Date.now() + WAIT_MS;
    for (;;) {
      if (signal?.aborted) throw clientGone();
      const buildId = randomUUID();
      if (await this.builds.claim(studentId, buildId, BUILD_CLAIM_SECONDS)) {
        try {
          // A build that finished just before this claim already made the result.
          return (await work.ready()) ?? (await work.build());
        } finally {
          await this.builds.release(studentId, buildId).catch((error: unknown) => {
            // The claim expires by itself; meanwhile the other requests wait for it or give up.
            this.logger.warn({ err: error }, 'Could not release an adaptive path build claim');
          });
        }
      }
      await sleep(POLL_MS);
      const ready = await work.ready();
      if (ready) return ready;
      if (Date.now() > giveUpAt) {
        throw new ApiException('SERVICE_BUSY', 'Your learning path is still being built; retry shortly', { retry_after_seconds: 2 });
      }
    }
  }
}
