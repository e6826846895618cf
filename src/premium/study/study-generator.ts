import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { FEATURES } from '../../common/features/index.js';
import { LLM_CLIENT, type LlmClient } from '../../llm/index.js';
import type { StudyChapter } from './study-chapter.js';
import { studyInput, studySystemPrompt } from './study.prompt.js';
import { rulesFlashcards, rulesPractice, rulesSummary } from './study-rules.js';
import { flashcardsSchema, PRACTICE_SPARE, practiceSchema, summarySchema, type PracticeDraft } from './study.schemas.js';
import { acceptFlashcards, acceptPractice, finalisePractice } from './study-validation.js';
import type { MaterialContent, MaterialKey, StudyTool } from './study.js';

/** The model gets this long, retries included (Sonnet writing up to 30 cards); then the rules answer. */
export const STUDY_LLM_DEADLINE_MS = 45_000;

export type GeneratedMaterial<K extends StudyTool> = {
  content: MaterialContent[K];
  /** `llm`: the model's material passed every check; `rules`: the deterministic material. */
  source: 'llm' | 'rules';
  /** The rules answered because the model failed or its material did not pass the checks. */
  fellBack: boolean;
  /** The model that wrote it (llm only). */
  model: string | null;
};

export type StudyBilling = { studentId: string; referenceId: string; requestId: string; variant: string; signal?: AbortSignal };

/** One tool's model request, its deterministic material, and the checks the model's must pass. */
type ToolPlan<D, K extends StudyTool> = {
  schema: z.ZodType<D>;
  maxTokens: number;
  rules: () => D;
  /** The model's answer after the checks, or undefined to serve the rules. */
  accept: (draft: D) => D | undefined;
  finish: (draft: D) => MaterialContent[K];
};

/**
 * Generates study material: in the `llm` lane the model writes it and the checks keep it honest,
 * the rules answering when either fails; in the `rules` lane (the control variant, or no model
 * configured) the rules alone, never a model call.
 */
@Injectable()
export class StudyGenerator {
  constructor(@Inject(LLM_CLIENT) private readonly llm: LlmClient) {}

  /** The lane a request's material comes from. */
  laneFor(variant: string): MaterialKey['lane'] {
    return variant === 'rules' || this.llm.provider === 'rules' ? 'rules' : 'llm';
  }

  async generate<K extends StudyTool>(chapter: StudyChapter, key: MaterialKey & { tool: K }, billing: StudyBilling): Promise<GeneratedMaterial<K>> {
    const plan = this.plan(chapter, key) as unknown as ToolPlan<unknown, K>;
    if (key.lane === 'rules') return { content: plan.finish(plan.rules()), source: 'rules', fellBack: false, model: null };

    const result = await this.llm.complete(
      {
        feature: FEATURES.study_tools.name,
        system: studySystemPrompt(chapter, key.tool),
        input: studyInput(chapter, key.tool, key.count),
        schema: plan.schema,
        maxTokens: plan.maxTokens,
        fallback: plan.rules,
        deadlineMs: STUDY_LLM_DEADLINE_MS,
        signal: billing.signal,
      },
      { studentId: billing.studentId, referenceId: billing.referenceId, requestId: billing.requestId, variant: billing.variant },
    );
    if (result.source === 'rules') return { content: plan.finish(result.value), source: 'rules', fellBack: false, model: null };
    const accepted = result.source === 'llm' ? plan.accept(result.value) : undefined;
    if (accepted === undefined) return { content: plan.finish(plan.rules()), source: 'rules', fellBack: true, model: null };
    return { content: plan.finish(accepted), source: 'llm', fellBack: false, model: result.model };
  }

  private plan(chapter: StudyChapter, key: MaterialKey): ToolPlan<unknown, StudyTool> {
    const sectionIds = chapter.sections.map((s) => s.section_id);
    const seed = `${chapter.chapter_id}:${chapter.content_version}:${key.count}`;
    switch (key.tool) {
      case 'flashcards':
        return {
          schema: flashcardsSchema(sectionIds, key.count),
          maxTokens: 300 + key.count * 120,
          rules: () => ({ cards: rulesFlashcards(chapter, key.count) }),
          accept: (draft) => {
            const cards = acceptFlashcards((draft as MaterialContent['flashcards']).cards, key.count);
            return cards && { cards: cards.slice(0, key.count) };
          },
          finish: (draft) => draft as MaterialContent['flashcards'],
        };
      case 'practice_quiz':
        return {
          schema: practiceSchema(sectionIds, key.count),
          maxTokens: 300 + (key.count + PRACTICE_SPARE) * 250,
          rules: () => ({ questions: rulesPractice(chapter, key.count) }),
          accept: (draft) => {
            const questions = acceptPractice((draft as PracticeDraft).questions, chapter.quizPrompts, key.count);
            return questions && { questions };
          },
          finish: (draft) => ({ questions: finalisePractice((draft as PracticeDraft).questions, seed) }),
        };
      case 'summary':
        return {
          schema: summarySchema,
          maxTokens: 1500,
          rules: () => rulesSummary(chapter),
          accept: (draft) => draft,
          finish: (draft) => draft as MaterialContent['summary'],
        };
    }
  }
}
