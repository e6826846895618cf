import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations/index.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { Chapter } from '../../src/core/content/chapter.entity.js';
import { QuizQuestion } from '../../src/core/quizzes/quiz-question.entity.js';
import { QuizResult } from '../../src/core/quizzes/quiz-result.entity.js';
import { Quiz } from '../../src/core/quizzes/quiz.entity.js';
import { Student } from '../../src/core/students/student.entity.js';
import { LlmUsageLog } from '../../src/usage/llm-usage-log.entity.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let db: DataSource;
beforeAll(async () => {
  database = await createTestDatabase();
  db = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const tables = async (): Promise<string[]> =>
  (
    await db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
    )
  ).map((r) => r.table_name);

const PHASE1 = ['chapters', 'quiz_questions', 'quiz_results', 'quizzes', 'students'];
const ALL_TABLES = [
  ...PHASE1,
  'llm_usage_logs',
  'feature_flags',
  'premium_usage_quotas',
  'adaptive_paths',
  'assessment_questions',
  'assessment_submissions',
  'assessment_feedback',
  'llm_alerts',
  'feature_flag_audit',
  'premium_requests',
  'premium_quota_holds',
  'adaptive_path_builds',
  'grading_batches',
  'subscription_audit',
  'course_sections',
  'glossary_terms',
  'study_materials',
  'study_material_builds',
  'study_practice_sessions',
  'tutor_conversations',
  'tutor_turns',
  'study_practice_attempts',
].sort();

const columns = (tablesIn: string[]) =>
  db.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name, column_name`,
    [tablesIn],
  );
const constraints = (tablesIn: string[]) =>
  db.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid::regclass::text = ANY($1) ORDER BY 1, 2`,
    [tablesIn],
  );

describe('migrations', () => {
  it('never alter the Phase 1 tables after the Phase 1 migration', async () => {
    const phase1Only = await new DataSource({ ...dataSourceOptions(database.url, 1), migrations: ALL_MIGRATIONS.slice(0, 1) }).initialize();
    try {
      await phase1Only.runMigrations();
    } finally {
      await phase1Only.destroy();
    }
    expect(await tables()).toEqual(PHASE1);
    const before = { columns: await columns(PHASE1), constraints: await constraints(PHASE1) };
    await db.runMigrations();
    expect(await tables()).toEqual(ALL_TABLES);
    expect({ columns: await columns(PHASE1), constraints: await constraints(PHASE1) }).toEqual(before);
    for (let i = 0; i < db.migrations.length; i++) await db.undoLastMigration();
  });

  it('go up, down and up again to the same schema', async () => {
    expect(await tables()).toEqual([]);
    await db.runMigrations();
    expect(await tables()).toEqual(ALL_TABLES);
    const schema = await db.query(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    );

    for (let i = 0; i < db.migrations.length; i++) await db.undoLastMigration();
    expect(await tables()).toEqual([]);

    await db.runMigrations();
    expect(
      await db.query(
        `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = 'public' ORDER BY table_name, column_name`,
      ),
    ).toEqual(schema);
    expect(await db.showMigrations()).toBe(false);
  });

  it('match the entities exactly, so migration:generate starts from an empty diff', async () => {
    const withEntities = await new DataSource({
      ...dataSourceOptions(database.url, 1),
      entities: [Student, Chapter, Quiz, QuizQuestion, QuizResult, LlmUsageLog],
    }).initialize();
    try {
      const diff = await withEntities.driver.createSchemaBuilder().log();
      expect(diff.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await withEntities.destroy();
    }
  });

  it('keep emails unique whatever their case', async () => {
    await db.query(`INSERT INTO students (email, password_hash, full_name) VALUES ('Case@Example.com', 'h', 'A')`);
    await expect(
      db.query(`INSERT INTO students (email, password_hash, full_name) VALUES ('case@example.COM', 'h', 'B')`),
    ).rejects.toThrow(/students_email_lower_key/);
  });

  it('refuse a tier or role outside the allowed values', async () => {
    await expect(
      db.query(`INSERT INTO students (email, password_hash, full_name, subscription_tier) VALUES ('t@x.io', 'h', 'A', 'gold')`),
    ).rejects.toThrow(/subscription_tier_check/);
    await expect(
      db.query(`INSERT INTO students (email, password_hash, full_name, role) VALUES ('r@x.io', 'h', 'A', 'root')`),
    ).rejects.toThrow(/role_check/);
  });

  it('index quiz results by student and time', async () => {
    const rows: { indexdef: string }[] = await db.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'quiz_results' AND indexname = 'quiz_results_student_completed_idx'`,
    );
    expect(rows[0]?.indexdef).toContain('(student_id, completed_at DESC, result_id DESC)');
  });
});
