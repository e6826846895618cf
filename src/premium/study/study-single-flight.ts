import { Injectable, Logger } from '@nestjs/common';
import { runClaimed } from '../claimed-single-flight.js';
import { StudyMaterialBuildsRepository } from './study-material-builds.repository.js';
import { STUDY_LLM_DEADLINE_MS } from './study-generator.js';

/** How long one generation may run before another request may take it over (the model's deadline and a margin). */
export const STUDY_BUILD_CLAIM_SECONDS = Math.ceil(STUDY_LLM_DEADLINE_MS / 1000) + 5;

/**
 * One generation per material key at a time, across instances: the request that claims the key
 * generates (and pays one unit), the others wait for the stored material (`ready`) for no unit.
 */
@Injectable()
export class StudySingleFlight {
  private readonly logger = new Logger('StudyTools');

  constructor(private readonly builds: StudyMaterialBuildsRepository) {}

  run<T>(buildKey: string, signal: AbortSignal | undefined, work: { ready: () => Promise<T | undefined>; build: () => Promise<T> }): Promise<T> {
    const options = { claimSeconds: STUDY_BUILD_CLAIM_SECONDS, signal, busyMessage: 'This study material is still being generated; retry shortly', logger: this.logger };
    return runClaimed(this.builds, buildKey, options, work);
  }
}
