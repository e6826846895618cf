import { Injectable, Logger } from '@nestjs/common';
import { runClaimed } from '../claimed-single-flight.js';
import { AdaptivePathBuildsRepository } from './adaptive-path-builds.repository.js';
import { PATH_LLM_DEADLINE_MS } from './path-generator.js';

/**
 * How long one student's plain build may run before another request may take it over: the model's
 * deadline and a margin for the queries around it. A claim left by a build that died (its process,
 * or the database under it) stops others for no longer than this.
 */
export const BUILD_CLAIM_SECONDS = Math.ceil(PATH_LLM_DEADLINE_MS / 1000) + 4;

/**
 * One build per student at a time, across instances: the request that claims the build runs it,
 * the others wait for its result (`ready`) instead of building (and paying) again.
 */
@Injectable()
export class PathSingleFlight {
  private readonly logger = new Logger('AdaptivePaths');

  constructor(private readonly builds: AdaptivePathBuildsRepository) {}

  run<T>(studentId: string, signal: AbortSignal | undefined, work: { ready: () => Promise<T | null>; build: () => Promise<T> }): Promise<T> {
    const options = { claimSeconds: BUILD_CLAIM_SECONDS, signal, busyMessage: 'Your learning path is still being built; retry shortly', logger: this.logger };
    return runClaimed(this.builds, studentId, options, work);
  }
}
