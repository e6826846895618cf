import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RubricCriterion } from './grading/grading.types.js';

export type AssessmentQuestion = {
  question_id: string;
  chapter_id: string;
  prompt: string;
  max_score: number;
  rubric_summary: string;
  rubric: RubricCriterion[];
  reference_answer: string;
};

@Injectable()
export class AssessmentQuestionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(): Promise<AssessmentQuestion[]> {
    return this.db.query(
      `SELECT q.question_id, q.chapter_id, q.prompt, q.max_score, q.rubric_summary, q.rubric, q.reference_answer
         FROM assessment_questions q JOIN chapters c ON c.chapter_id = q.chapter_id
        ORDER BY c."order", q.position`,
    );
  }

  async get(questionId: string): Promise<AssessmentQuestion | undefined> {
    const rows: AssessmentQuestion[] = await this.db.query(
      `SELECT question_id, chapter_id, prompt, max_score, rubric_summary, rubric, reference_answer
         FROM assessment_questions WHERE question_id = $1`,
      [questionId],
    );
    return rows[0];
  }
}
