import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** `study_practice_attempts`: every graded submission of a practice quiz (never v1's quiz_results). */
@Injectable()
export class PracticeAttemptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(attempt: { practiceId: string; studentId: string; answers: Record<string, string>; score: number; maxScore: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO study_practice_attempts (practice_id, student_id, answers, score, max_score) VALUES ($1, $2, $3, $4, $5)`,
      [attempt.practiceId, attempt.studentId, JSON.stringify(attempt.answers), attempt.score, attempt.maxScore],
    );
  }
}
