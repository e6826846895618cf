import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AssessmentQuestion } from '../assessments/assessment-questions.repository.js';

/** An open-ended question as the course content files give it (its chapter is the file's). */
export type AssessmentQuestionSeed = Omit<AssessmentQuestion, 'chapter_id'>;

/** Writes the course's assessment questions (assessment_questions) as the seed files give them. */
@Injectable()
export class AssessmentQuestionsSeedRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The chapter's questions in their order; rows that already match are left alone. Returns how many. */
  async upsert(chapterId: string, questions: AssessmentQuestionSeed[], tx: EntityManager = this.db.manager): Promise<number> {
    for (const [position, q] of questions.entries()) {
      await tx.query(
        `INSERT INTO assessment_questions (question_id, chapter_id, position, prompt, max_score, rubric_summary, rubric, reference_answer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (question_id) DO UPDATE SET chapter_id = EXCLUDED.chapter_id, position = EXCLUDED.position,
           prompt = EXCLUDED.prompt, max_score = EXCLUDED.max_score, rubric_summary = EXCLUDED.rubric_summary,
           rubric = EXCLUDED.rubric, reference_answer = EXCLUDED.reference_answer, updated_at = now()
         WHERE (assessment_questions.chapter_id, assessment_questions.position, assessment_questions.prompt,
                assessment_questions.max_score, assessment_questions.rubric_summary, assessment_questions.rubric,
                assessment_questions.reference_answer)
           IS DISTINCT FROM (EXCLUDED.chapter_id, EXCLUDED.position, EXCLUDED.prompt, EXCLUDED.max_score,
                EXCLUDED.rubric_summary, EXCLUDED.rubric, EXCLUDED.reference_answer)`,
        [q.question_id, chapterId, position + 1, q.prompt, q.max_score, q.rubric_summary, JSON.stringify(q.rubric), q.reference_answer],
      );
    }
    return questions.length;
  }
}
