import { Injectable } from '@nestjs/common';
import { Memo } from '../../common/cache/index.js';
import { ApiException } from '../../common/errors/index.js';
import { CONTENT_ENTRIES, CONTENT_TTL_MS } from '../content/chapters.service.js';
import type { QuizQuestion } from './quiz-question.entity.js';
import { gradeQuiz, validateAnswers } from './quiz-grading.js';
import { QuizResultsRepository } from './quiz-results.repository.js';
import type { Quiz } from './quiz.entity.js';
import { QuizzesRepository } from './quizzes.repository.js';
import type { QuizDto, QuizSubmissionResultDto } from './quizzes.dto.js';

@Injectable()
export class QuizzesService {
  /** Quizzes are course content, seeded at deploy: kept in process like the chapters. */
  private readonly content = new Memo<Promise<unknown>>({ max: CONTENT_ENTRIES, ttlMs: CONTENT_TTL_MS });

  constructor(
    private readonly quizzes: QuizzesRepository,
    private readonly results: QuizResultsRepository,
  ) {}

  /** The quiz as a student sees it before answering: never the keys or explanations. */
  async get(quizId: string): Promise<QuizDto> {
    const { quiz, questions } = await this.load(quizId);
    return {
      quiz_id: quiz.quizId,
      chapter_id: quiz.chapterId,
      title: quiz.title,
      pass_percentage: quiz.passPercentage,
      questions: questions.map((q) => ({
        question_id: q.questionId,
        prompt: q.prompt,
        options: q.options.map(({ key, text }) => ({ key, text })),
      })),
    };
  }

  async submit(studentId: string, quizId: string, answers: Record<string, unknown>): Promise<QuizSubmissionResultDto> {
    const { quiz, questions } = await this.load(quizId);
    const issues = validateAnswers(questions, answers);
    if (issues.length > 0) throw ApiException.validation(issues, 'The answers do not fit this quiz');

    const grade = gradeQuiz(questions, answers, quiz.passPercentage);
    const saved = await this.results.save({
      studentId,
      quizId: quiz.quizId,
      answers: grade.answers,
      score: grade.score,
      maxScore: grade.maxScore,
      percentage: grade.percentage,
      passed: grade.passed,
    });
    return {
      result_id: saved.resultId,
      quiz_id: quiz.quizId,
      score: grade.score,
      max_score: grade.maxScore,
      percentage: grade.percentage,
      passed: grade.passed,
      results: grade.results,
      completed_at: saved.completedAt.toISOString(),
    };
  }

  private load(quizId: string): Promise<{ quiz: Quiz; questions: QuizQuestion[] }> {
    return this.content.get(quizId, () => this.loadFromDatabase(quizId));
  }

  private async loadFromDatabase(quizId: string): Promise<{ quiz: Quiz; questions: QuizQuestion[] }> {
    const found = await this.quizzes.findWithQuestions(quizId);
    if (!found) throw ApiException.notFound(`Quiz ${quizId}`);
    return found;
  }
}
