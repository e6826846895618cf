import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { clientGone } from '../client-gone.js';
import { StudyMaterialBuildsRepository } from './study-material-builds.repository.js';
import { STUDY_LLM_DEADLINE_MS } from './study-generator.js';

/** How long one generation may run before another request may take it over (the model's deadline and a margin). */
export const STUDY_BUILD_CLAIM_SECONDS = Math.ceil(STUDY_LLM_DEADLINE_MS / 1000) + 5;
const WAIT_MS = STUDY_BUILD_CLAIM_SECONDS * 1000 + 1000;
const POLL_MS = 100;

/**
 * One generation per material key at a time, across instances: the request that claims the key
 * generates (and pays one unit), the others wait for the stored material (`ready`) for no unit.
 */
@Injectable()
export class StudySingleFlight {
  private readonly logger = new Logger('StudyTools');

  constructor(private readonly builds: StudyMaterialBuildsRepository) {}

  async run<T>(buildKey: string, signal: AbortSignal | undefined, work: { ready: () => Promise<T | undefined>; build: () => Promise<T> }): Promise<T> {
    const giveUpAt = Date.now() + WAIT_MS;
    for (;;) {
      if (signal?.aborted) throw clientGone();
      const buildId = randomUUID();
      if (await this.builds.claim(buildKey, buildId, STUDY_BUILD_CLAIM_SECONDS)) {
        try {
          // A generation that finished just before this claim already stored the material.
          return (await work.ready()) ?? (await work.build());
        } finally {
          await this.builds.release(buildKey, buildId).catch((error: unknown) => {
            this.logger.warn({ err: error }, 'Could not release a study material build claim; it expires by itself');
          });
        }
      }
      await sleep(POLL_MS);
      const ready = await work.ready();
      if (ready !== undefined) return ready;
      if (Date.now() > giveUpAt) {
        throw new ApiException('SERVICE_BUSY', 'This study material is still being generated; retry shortly', { retry_after_seconds: 2 });
      }
    }
  }
}
