/**
 * What the study model answers in the cost simulation, in the chapter's own wording (TextBank), at
 * the sizes assumed for issue 15: a summary of 300-400 tokens, about 35 tokens a flashcard and
 * about 120 a practice question (as JSON, counted by the tokenizer). Every answer passes the app's
 * checks: section ids from the schema's enum, distinct card fronts, four distinct options with
 * exactly one correct, prompts that are chapter prose (never the graded quiz's wording), distinct
 * as the checks compare them (normaliseText).
 */
import type { PracticeDraft } from '../../src/premium/study/study.schemas.js';
import { normaliseText } from '../../src/premium/study/study-text.js';
import type { ChapterSummary, FlashcardSet } from '../../src/premium/study/study.js';
import { between, pick, type Rng } from './random.js';
import type { TextBank } from './texts.js';
import { countTokens } from './tokens.js';

/** The section ids a study schema allows: the `section` enum of its items, inline or under `$defs`/`definitions`. */
export function sectionEnum(schema: any, list: 'cards' | 'questions'): string[] {
  const resolve = (node: any): any => {
    const ref = typeof node?.$ref === 'string' ? String(node.$ref).replace(/^#\/(\$defs|definitions)\//, '') : undefined;
    return ref ? resolve(schema?.$defs?.[ref] ?? schema?.definitions?.[ref]) : node;
  };
  const item = resolve(resolve(schema?.properties?.[list])?.items);
  const values = resolve(item?.properties?.section)?.enum;
  if (!Array.isArray(values) || values.length === 0) throw new Error(`The study schema has no section enum: ${JSON.stringify(schema)}`);
  return values as string[];
}

/** Text of `tokens` tokens (give or take a sentence) made by `make(wordBudget)`: one correction after measuring. */
function sized<T>(tokens: number, make: (words: number) => T): T {
  const first = make(Math.round(tokens / 1.35));
  const measured = countTokens(JSON.stringify(first));
  return Math.abs(measured - tokens) <= tokens * 0.08 ? first : make(Math.round((tokens / 1.35) * (tokens / measured)));
}

export class StudyTexts {
  constructor(private readonly bank: TextBank) {}

  /** 300-400 tokens: two or three `###` parts of prose, then three to six key points. */
  summary(rng: Rng, chapterId: string): ChapterSummary {
    return sized(between(rng, 300, 400), (words) => {
      const parts = between(rng, 2, 3);
      const points = between(rng, 3, 6);
      const pointWords = Math.max(6, Math.round((0.25 * words) / points));
      const partWords = Math.max(12, Math.round((words - points * pointWords) / parts) - 3);
      const markdown = Array.from({ length: parts }, () => `### ${this.bank.prose(rng, chapterId, 3).replace(/\.$/, '')}\n\n${this.bank.prose(rng, chapterId, partWords)}`);
      return {
        summary_markdown: markdown.join('\n\n'),
        key_points: Array.from({ length: points }, () => this.bank.sentence(rng, chapterId, pointWords - 2, pointWords + 2)),
      };
    });
  }

  /** `count` cards of about 35 tokens: a short question on the front, a sentence or two on the back. */
  flashcards(rng: Rng, chapterId: string, sections: readonly string[], count: number): FlashcardSet {
    const fronts = new Set<string>();
    const cards: FlashcardSet['cards'] = [];
    while (cards.length < count) {
      const front = `${this.bank.prose(rng, chapterId, between(rng, 3, 6)).replace(/\.$/, '')}?`;
      if (fronts.has(normaliseText(front))) continue;
      fronts.add(normaliseText(front));
      cards.push({ front, back: this.bank.sentence(rng, chapterId, 8, 14), section: pick(rng, sections) });
    }
    return { cards };
  }

  /** `count` questions and up to two spare ones, about 120 tokens each: four distinct options, one correct. */
  practice(rng: Rng, chapterId: string, sections: readonly string[], count: number): PracticeDraft {
    const total = count + (rng() < 0.5 ? 0 : between(rng, 1, 2));
    const questions: PracticeDraft['questions'] = [];
    const prompts = new Set<string>();
    while (questions.length < total) {
      const texts = new Map<string, string>();
      while (texts.size < 4) {
        const text = this.bank.prose(rng, chapterId, between(rng, 3, 6)).replace(/\.$/, '');
        texts.set(normaliseText(text), text);
      }
      const prompt = `${this.bank.prose(rng, chapterId, between(rng, 10, 16)).replace(/\.$/, '')}?`;
      if (prompts.has(normaliseText(prompt))) continue;
      prompts.add(normaliseText(prompt));
      const correct = between(rng, 0, 3);
      questions.push({
        prompt,
        options: [...texts.values()].map((text, i) => ({ text, correct: i === correct })),
        explanation: this.bank.sentence(rng, chapterId, 18, 28),
        section: pick(rng, sections),
      });
    }
    return { questions };
  }
}
