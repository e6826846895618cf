import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import { CompletionSources, type CompletionFigure } from '../../common/reporting/index.js';
import { QuizResultsRepository } from '../../core/index.js';
import { AdaptivePathOutcomesRepository } from './adaptive-path-outcomes.repository.js';

/**
 * The adaptive paths' completion rate for the operators' metrics: the share of paths whose first
 * recommended chapter the student passed after the path was made. Paths are premium's, quiz
 * results Core's: each is read through its owner's repository.
 */
@Injectable()
export class AdaptivePathCompletion implements OnModuleInit {
  constructor(
    private readonly sources: CompletionSources,
    private readonly paths: AdaptivePathOutcomesRepository,
    private readonly results: QuizResultsRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(FEATURES.adaptive_paths.name, (from, to) => this.figures(from, to));
  }

  async figures(from: Date, to: Date): Promise<CompletionFigure[]> {
    const passes = await this.results.latestPasses(await this.paths.firstSteps(from, to));
    const rows = await this.paths.completion(from, to, passes);
    return rows.map((r) => ({ feature: FEATURES.adaptive_paths.name, variant: r.variant, total: r.paths, completed: r.completed }));
  }
}
