import type { FieldIssue } from '../../common/errors/index.js';
import type { QuizQuestion } from './quiz-question.entity.js';

export type GradedQuestion = {
  question_id: string;
  your_answer: string | null;
  correct: boolean;
  correct_answer: string;
  explanation: string;
};

export type QuizGrade = {
  answers: Record<string, string>;
  score: number;
  maxScore: number;
  percentage: number;
  passed: boolean;
  results: GradedQuestion[];
};

/** What checking a submission needs of a question: its id and its option keys. */
export type AnswerableQuestion = { id: string; optionKeys: readonly string[] };

/**
 * Checks a submission against a quiz (or a practice quiz, `quizName`): at least one answer, every
 * key one of its questions and every value one of that question's option keys (any case, spaces
 * trimmed). Returns the problems (empty when the submission is acceptable).
 */
export function answerIssues(questions: readonly AnswerableQuestion[], answers: Record<string, unknown>, quizName = 'quiz'): FieldIssue[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const issues: FieldIssue[] = [];
  const entries = Object.entries(answers);
  if (entries.length === 0) issues.push({ field: 'answers', issue: 'must answer at least one question' });
  for (const [questionId, answer] of entries) {
    const question = byId.get(questionId);
    if (!question) {
      issues.push({ field: `answers.${questionId}`, issue: `is not a question of this ${quizName}` });
      continue;
    }
    if (typeof answer !== 'string' || !question.optionKeys.includes(answer.trim().toLowerCase())) {
      issues.push({ field: `answers.${questionId}`, issue: `must be one of ${question.optionKeys.join(', ')}` });
    }
  }
  return issues;
}

/** The graded chapter quiz's check (see answerIssues). */
export function validateAnswers(questions: QuizQuestion[], answers: Record<string, unknown>): FieldIssue[] {
  return answerIssues(questions.map((q) => ({ id: q.questionId, optionKeys: q.options.map((o) => o.key) })), answers);
}

/** Grades validated answers. Percentages are rounded to two decimals, as stored. */
export function gradeQuiz(questions: QuizQuestion[], raw: Record<string, unknown>, passPercentage: number): QuizGrade {
  const answers: Record<string, string> = {};
  for (const [id, value] of Object.entries(raw)) answers[id] = String(value).trim().toLowerCase();

  const results = [...questions]
    .sort((a, b) => a.position - b.position)
    .map((q) => {
      const given = answers[q.questionId] ?? null;
      return {
        question_id: q.questionId,
        your_answer: given,
        correct: given === q.correctAnswer,
        correct_answer: q.correctAnswer,
        explanation: q.explanation,
      };
    });
  const score = results.filter((r) => r.correct).length;
  const maxScore = results.length;
  const percentage = Math.round((score * 10_000) / maxScore) / 100;
  return { answers, score, maxScore, percentage, passed: percentage >= passPercentage, results };
}
