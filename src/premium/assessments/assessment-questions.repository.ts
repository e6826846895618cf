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

const COLUMNS = 'question_id, chapter_id, prompt, max_score, rubric_summary, rubric, reference_answer';

/** `assessment_questions`: the open-ended questions with their rubrics (written by the seeder). */
@Injectable()
export class AssessmentQuestionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every question, each chapter's in their order (the chapters' own order is Core's). */
  list(): Promise<AssessmentQuestion[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM assessment_questions ORDER BY chapter_id, position`);
  }

  async get(questionId: string): Promise<AssessmentQuestion | undefined> {
    const rows: AssessmentQuestion[] = await this.db.query(`SELECT ${COLUMNS} FROM assessment_questions WHERE question_id = $1`, [questionId]);
    return rows[0];
  }
}
