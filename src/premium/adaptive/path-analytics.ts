import { Injectable } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import { PremiumRequestsService, type PremiumRequestRecord } from '../../usage/index.js';
import type { ServedPath } from './adaptive-path.js';

/** One record per path request for the operators' metrics, however it was served or refused. */
@Injectable()
export class PathAnalytics {
  constructor(private readonly requests: PremiumRequestsService) {}

  record(request: { studentId: string; variant: string }, served: ServedPath | undefined, latencyMs: number): void {
    this.requests.record({ feature: FEATURES.adaptive_paths.name, variant: request.variant, studentId: request.studentId, source: requestSource(served), latencyMs });
  }
}

/** How a request was served: no path is a refusal; the rules answering for a failed model are a fallback. */
export function requestSource(served: ServedPath | undefined): PremiumRequestRecord['source'] {
  if (!served) return 'rejected';
  return served.fellBack ? 'fallback' : served.source;
}
