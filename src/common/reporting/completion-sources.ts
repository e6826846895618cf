import { Injectable, Module } from '@nestjs/common';

/** A feature's own success measure over a window, per variant: of `total` outputs, `completed` did what they were for. */
export type CompletionFigure = { feature: string; variant: string; total: number; completed: number };

/** Answers for one feature; reads only the tables of the module that registers it. */
export type CompletionSource = (from: Date, to: Date) => Promise<CompletionFigure[]>;

/**
 * The completion measures of the operators' metrics report. The modules that own the features
 * register their sources; the report (admin) reads them here, so it imports none of those modules.
 */
@Injectable()
export class CompletionSources {
  private readonly sources = new Map<string, CompletionSource>();

  register(feature: string, source: CompletionSource): void {
    if (this.sources.has(feature)) throw new Error(`A completion source for "${feature}" is already registered`);
    this.sources.set(feature, source);
  }

  /** Every registered source's figures over [from, to). */
  async figures(from: Date, to: Date): Promise<CompletionFigure[]> {
    return (await Promise.all([...this.sources.values()].map((source) => source(from, to)))).flat();
  }
}

/** Imported by the report and by each module that registers a source; Nest keeps one instance. */
@Module({ providers: [CompletionSources], exports: [CompletionSources] })
export class CompletionSourcesModule {}
