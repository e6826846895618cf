import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import type { LlmClient } from '../../llm/index.js';
import { LLM_CLIENT } from '../../llm/index.js';
import { PATH_TTL_SECONDS, type BuiltPath, type LearningPath } from './adaptive-path.js';
import { pathInput, pathSchema, pathSystemPrompt, type PathPlan } from './adaptive-path.prompt.js';
import { rulesPath, type ChapterEvidence, type Recommendation } from './path-rules.js';

/** The model gets this long, retries included; then the rules' path is served. */
export const PATH_LLM_DEADLINE_MS = 8000;

export type PathBuild = {
  studentId: string;
  variant: string;
  requestId: string;
  /** Aborts when the client has gone: no unit is taken for it, and a model call for it is cut off. */
  signal?: AbortSignal;
};

const RULES_REASONING =
  'Built by the course rules from your quiz results: weak chapters first, then the next chapter you can start.';

/**
 * Builds a path: the rules first (they alone make a valid path), the model second to refine its
 * order and reasons, the rules again if the model fails. The `static` variant is the control
 * group: rules only, never the model.
 */
@Injectable()
export class PathGenerator {
  constructor(@Inject(LLM_CLIENT) private readonly llm: LlmClient) {}

  async generate(build: PathBuild, evidence: ChapterEvidence[], now = new Date()): Promise<BuiltPath> {
    const rules: PathPlan = { recommendations: rulesPath(evidence), reasoning: RULES_REASONING };
    const header = pathHeader(build, now);
    if (build.variant === 'static') return { path: { ...header, ...rules }, source: 'rules', fellBack: false };

    const result = await this.llm.complete(
      {
        feature: FEATURES.adaptive_paths.name,
        system: pathSystemPrompt(evidence),
        input: pathInput(evidence, rules.recommendations),
        schema: pathSchema(evidence.map((c) => c.chapter_id)),
        maxTokens: 800,
        fallback: () => rules,
        deadlineMs: PATH_LLM_DEADLINE_MS,
        signal: build.signal,
      },
      { studentId: build.studentId, referenceId: header.path_id, requestId: build.requestId, variant: build.variant },
    );
    const plan = result.value as PathPlan;
    return {
      path: { ...header, recommendations: inPriorityOrder(plan.recommendations), reasoning: plan.reasoning },
      source: result.source === 'llm' ? 'llm' : 'rules',
      fellBack: result.source === 'fallback',
    };
  }
}

/** A new path's id, owner, variant and lifetime. */
export function pathHeader(build: Pick<PathBuild, 'studentId' | 'variant'>, now: Date): Omit<LearningPath, 'recommendations' | 'reasoning'> {
  return {
    path_id: randomUUID(),
    student_id: build.studentId,
    variant: build.variant,
    generated_at: now.toISOString(),
    expires_at: new Date(now.getTime() + PATH_TTL_SECONDS * 1000).toISOString(),
  };
}

/** The model's steps by its priority, renumbered 1, 2, 3… (it may skip or repeat numbers). */
export function inPriorityOrder(recommendations: Recommendation[]): Recommendation[] {
  return [...recommendations].sort((a, b) => a.priority - b.priority).map((r, i) => ({ ...r, priority: i + 1 }));
}
