import { z } from 'zod';
import { Memo } from '../../common/cache/index.js';
import { asData, DATA_NOT_INSTRUCTIONS } from '../../llm/index.js';
import { PATH_ACTIONS, type ChapterEvidence, type Recommendation } from './path-rules.js';

/** The model's answer: chapter ids are an enum of the live catalog, so none can be invented. */
export function pathSchema(chapterIds: string[]) {
  return schemas.get(chapterIds.join('\n'), () => buildPathSchema(chapterIds));
}

// The catalog changes only at deploy; the bound only guards against a runaway key set.
const schemas = new Memo<ReturnType<typeof buildPathSchema>>({ max: 16 });

function buildPathSchema(chapterIds: string[]) {
  const ids = chapterIds as [string, ...string[]];
  return z
    .object({
      recommendations: z
        .array(
          z.object({
            chapter_id: z.enum(ids),
            action: z.enum(PATH_ACTIONS as [string, ...string[]]),
            priority: z.number().int().min(1).max(10),
            reason: z.string().min(1).max(400),
          }),
        )
        .min(1)
        .max(6),
      reasoning: z.string().min(1).max(2000),
    })
    .refine((plan) => new Set(plan.recommendations.map((r) => r.chapter_id)).size === plan.recommendations.length, {
      message: 'each chapter at most once',
    });
}

export type PathPlan = { recommendations: Recommendation[]; reasoning: string };

/** Stable across students (cached): the task and the course map. */
export function pathSystemPrompt(catalog: Pick<ChapterEvidence, 'chapter_id' | 'title' | 'order' | 'prerequisites'>[]): string[] {
  return [
    'You plan the next study steps for one student of the course "Building with generative AI". ' +
      'You receive the course map and the student\'s quiz evidence, plus a draft path built by fixed rules. ' +
      'Return 1 to 5 recommendations in the order to follow them, each with an action (review: reread a weak chapter; ' +
      'start: begin a chapter whose prerequisites are passed; continue: finish a chapter close to passing; practice: ' +
      'strengthen a passed chapter under 80%), a priority (1 = first) and a one-sentence reason that cites the evidence. ' +
      'Never recommend starting a chapter whose prerequisites are not passed. Add a short overall reasoning. ' +
      DATA_NOT_INSTRUCTIONS,
    'Course map (chapter_id | title | prerequisites):\n' +
      catalog.map((c) => `${c.chapter_id} | ${c.title} | ${c.prerequisites.join(', ') || 'none'}`).join('\n'),
  ];
}

/** Per call: the evidence and the rules' draft, as data. No name, e-mail or id. */
export function pathInput(evidence: ChapterEvidence[], draft: Recommendation[]): string {
  const rows = evidence.map(
    (c) => `${c.chapter_id}: attempts=${c.attempts}, best=${c.best_percentage ?? 'none'}%, passed=${c.passed ? 'yes' : 'no'}`,
  );
  return (
    asData('quiz_evidence', rows.join('\n')) +
    '\n' +
    asData('draft_path', draft.map((r) => `${r.priority}. ${r.action} ${r.chapter_id}: ${r.reason}`).join('\n'))
  );
}
