import { z } from 'zod';
import { Memo } from '../../common/cache/index.js';
import type { ChapterSummary, FlashcardSet } from './study.js';

/** A practice question as the model (or the rules) writes it: the server assigns keys and ids. */
export type PracticeQuestionDraft = { prompt: string; options: { text: string; correct: boolean }[]; explanation: string; section: string };
export type PracticeDraft = { questions: PracticeQuestionDraft[] };

/**
 * The model's answers. Section ids are an enum of the chapter's own sections, so a card or an
 * explanation citing a section that does not exist cannot pass validation. What JSON Schema cannot
 * say (one correct option, distinct options, no copy of the graded quiz) is checked after parsing
 * (study-validation.ts), question by question.
 */
export function flashcardsSchema(sectionIds: string[], count: number): z.ZodType<FlashcardSet> {
  return schemas.get(`flashcards\n${count}\n${sectionIds.join('\n')}`, () =>
    z.object({
      cards: z
        .array(z.object({ front: z.string().min(1).max(300), back: z.string().min(1).max(800), section: sectionEnum(sectionIds) }))
        .min(count)
        .max(count),
    }),
  );
}

/** A few more questions than asked for, so one dropped by the checks still leaves enough. */
export const PRACTICE_SPARE = 2;

export function practiceSchema(sectionIds: string[], count: number): z.ZodType<PracticeDraft> {
  return schemas.get(`practice\n${count}\n${sectionIds.join('\n')}`, () =>
    z.object({
      questions: z
        .array(
          z.object({
            prompt: z.string().min(1).max(500),
            options: z.array(z.object({ text: z.string().min(1).max(300), correct: z.boolean() })).min(4).max(4),
            explanation: z.string().min(1).max(800),
            section: sectionEnum(sectionIds),
          }),
        )
        .min(count)
        .max(count + PRACTICE_SPARE),
    }),
  );
}

export const summarySchema: z.ZodType<ChapterSummary> = z.object({
  summary_markdown: z.string().min(1).max(6000),
  key_points: z.array(z.string().min(1).max(300)).min(3).max(8),
});

function sectionEnum(sectionIds: string[]) {
  return z.enum(sectionIds as [string, ...string[]]);
}

// Chapters change only when seeded; the anthropic adapter keeps one JSON schema per schema object.
const schemas = new Memo<z.ZodType>({ max: 256 });
