import type { FieldIssue } from '../../common/errors/index.js';
import { answerIssues } from '../../core/index.js';
import type { PracticeQuestion } from './study.js';

export type PracticeResult = { question_id: string; correct: boolean; correct_answer: string; explanation: string; section: string };
export type PracticeGrade = { answers: Record<string, string>; score: number; maxScore: number; results: PracticeResult[] };

/** Longer than any option key: refused before the practice quiz is even looked up. */
const MAX_KEY_LENGTH = 8;

/** Problems any submission has whatever its quiz: answers that cannot be option keys. */
export function answerShapeIssues(answers: Record<string, unknown>): FieldIssue[] {
  return Object.entries(answers)
    .filter(([, answer]) => typeof answer !== 'string' || answer.length > MAX_KEY_LENGTH)
    .map(([questionId]) => ({ field: `answers.${questionId}`, issue: 'must be an option key such as a' }));
}

/** Problems with a submission to a practice quiz (empty when acceptable): Core's check of a quiz submission. */
export function practiceAnswerIssues(questions: readonly PracticeQuestion[], answers: Record<string, unknown>): FieldIssue[] {
  return answerIssues(questions.map((q) => ({ id: q.question_id, optionKeys: q.options.map((o) => o.key) })), answers, 'practice quiz');
}

/** Grades validated answers: one point per correct answer, an unanswered question counts as wrong. */
export function gradePractice(questions: readonly PracticeQuestion[], raw: Record<string, unknown>): PracticeGrade {
  const answers = Object.fromEntries(Object.entries(raw).map(([id, value]) => [id, String(value).trim().toLowerCase()]));
  const results = questions.map((q) => ({
    question_id: q.question_id,
    correct: answers[q.question_id] === q.correct_answer,
    correct_answer: q.correct_answer,
    explanation: q.explanation,
    section: q.section,
  }));
  return { answers, score: results.filter((r) => r.correct).length, maxScore: results.length, results };
}
