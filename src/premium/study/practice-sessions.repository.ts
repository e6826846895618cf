import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../usage/index.js';
import type { PracticeSet } from './study.js';

/** `study_practice_sessions`: a student's own copy of a practice quiz (the questions stay in study_materials). */
@Injectable()
export class PracticeSessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(studentId: string, materialId: string, tx: SqlExecutor = this.db): Promise<string> {
    const [row] = await tx.query<{ practice_id: string }[]>(
      `INSERT INTO study_practice_sessions (student_id, material_id) VALUES ($1, $2) RETURNING practice_id`,
      [studentId, materialId],
    );
    return row!.practice_id;
  }

  /** The session's questions with their keys, if it is this student's; undefined for anyone else's. */
  async findOwned(practiceId: string, studentId: string): Promise<{ chapterId: string; practice: PracticeSet } | undefined> {
    const [row] = await this.db.query<{ chapter_id: string; content: PracticeSet }[]>(
      `SELECT m.chapter_id, m.content FROM study_practice_sessions s JOIN study_materials m ON m.material_id = s.material_id
        WHERE s.practice_id = $1 AND s.student_id = $2`,
      [practiceId, studentId],
    );
    return row && { chapterId: row.chapter_id, practice: row.content };
  }
}
