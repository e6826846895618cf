import { mulberry32 } from '../../common/random/index.js';
import type { PracticeQuestionDraft } from './study.schemas.js';
import type { Flashcard, PracticeQuestion } from './study.js';
import { normaliseText, seedOf, shuffled } from './study-text.js';

export type PracticeProblem = 'not four options' | 'not exactly one correct option' | 'options not distinct' | 'copies the graded quiz';

/** Word overlap (Jaccard) from which a prompt counts as a reworded copy of a graded one. */
const COPY_OVERLAP = 0.8;

/** Whether `prompt` is one of the graded quiz's prompts, or the same words shuffled or barely changed. */
export function copiesQuiz(prompt: string, quizPrompts: readonly string[]): boolean {
  const words = new Set(normaliseText(prompt).split(' '));
  return quizPrompts.some((graded) => {
    const other = new Set(normaliseText(graded).split(' '));
    const shared = [...words].filter((w) => other.has(w)).length;
    return shared / (words.size + other.size - shared) >= COPY_OVERLAP;
  });
}

/** What is wrong with one question (empty when it may be served). */
export function practiceProblems(question: PracticeQuestionDraft, quizPrompts: readonly string[]): PracticeProblem[] {
  const problems: PracticeProblem[] = [];
  if (question.options.length !== 4) problems.push('not four options');
  if (question.options.filter((o) => o.correct).length !== 1) problems.push('not exactly one correct option');
  if (new Set(question.options.map((o) => normaliseText(o.text))).size !== question.options.length) problems.push('options not distinct');
  if (copiesQuiz(question.prompt, quizPrompts)) problems.push('copies the graded quiz');
  return problems;
}

/** The questions that may be served, in order, repeats of an earlier prompt dropped. */
export function validPractice(questions: readonly PracticeQuestionDraft[], quizPrompts: readonly string[]): PracticeQuestionDraft[] {
  const seen = new Set<string>();
  return questions.filter((question) => {
    const prompt = normaliseText(question.prompt);
    if (seen.has(prompt) || practiceProblems(question, quizPrompts).length > 0) return false;
    seen.add(prompt);
    return true;
  });
}

/** The first `count` valid questions, or undefined when fewer remain: then the caller serves the rules instead. */
export function acceptPractice(questions: readonly PracticeQuestionDraft[], quizPrompts: readonly string[], count: number): PracticeQuestionDraft[] | undefined {
  const valid = validPractice(questions, quizPrompts);
  return valid.length >= count ? valid.slice(0, count) : undefined;
}

/** Cards with a front seen before dropped; undefined when fewer than `min` remain. */
export function acceptFlashcards(cards: readonly Flashcard[], min: number): Flashcard[] | undefined {
  const seen = new Set<string>();
  const kept = cards.filter((card) => {
    const front = normaliseText(card.front);
    if (front === '' || normaliseText(card.back) === '' || seen.has(front)) return false;
    seen.add(front);
    return true;
  });
  return kept.length >= min ? kept : undefined;
}

const KEYS = ['a', 'b', 'c', 'd'] as const;

/**
 * Ids, option keys and the key of each accepted question. The options are shuffled (seeded by
 * `seed` and the question's place) so the correct one is not always where the writer put it, and
 * the same material always gets the same keys.
 */
export function finalisePractice(questions: readonly PracticeQuestionDraft[], seed: string): PracticeQuestion[] {
  return questions.map((q, i) => {
    const options = shuffled(q.options, mulberry32(seedOf(`${seed}:${i}`))).map((o, j) => ({ key: KEYS[j]!, text: o.text, correct: o.correct }));
    return {
      question_id: `p${i + 1}`,
      prompt: q.prompt,
      options: options.map(({ key, text }) => ({ key, text })),
      correct_answer: options.find((o) => o.correct)!.key,
      explanation: q.explanation,
      section: q.section,
    };
  });
}
