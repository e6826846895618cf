import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { changedRows } from '../changed-rows.js';

/** One process at a time works the batches (any process may, so a crashed one is replaced). */
const LOCK_KEY = 'course-companion:grading-batches';

export type OpenBatch = { batch_id: string; created_at: Date };

/**
 * The state of batch grading: `grading_batches`, and the batch columns of `assessment_submissions`
 * (handed to the batch grader at `batch_requested_at`, in batch `grading_batch_id`).
 */
@Injectable()
export class GradingBatchesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` if no other process is working the batches (a lock held for as long as it runs). */
  async whileLocked(work: () => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [LOCK_KEY]);
      if (lock?.locked) await work();
    });
  }

  /** Hands a pending submission to the batch grader; false if it is not pending or is graded by the rules only. */
  async handOver(submissionId: string): Promise<boolean> {
    const rows = await changedRows(
      this.db,
      `UPDATE assessment_submissions SET batch_requested_at = coalesce(batch_requested_at, now())
        WHERE submission_id = $1 AND status = 'pending' AND coalesce(variant, '') <> 'rules' RETURNING submission_id`,
      [submissionId],
    );
    return rows.length > 0;
  }

  /** Submissions handed over and in no batch yet, oldest first, with how long they have waited. */
  async waiting(limit: number): Promise<{ submission_id: string; waited_ms: number }[]> {
    const rows = await this.db.query<{ submission_id: string; waited_ms: number | string }[]>(
      `SELECT submission_id, extract(epoch FROM now() - batch_requested_at) * 1000 AS waited_ms
         FROM assessment_submissions
        WHERE status = 'pending' AND batch_requested_at IS NOT NULL AND grading_batch_id IS NULL
        ORDER BY batch_requested_at LIMIT $1`,
      [limit],
    );
    // extract() is numeric, which comes back as text.
    return rows.map((r) => ({ submission_id: r.submission_id, waited_ms: Number(r.waited_ms) }));
  }

  /** A batch just sent, and the pending submissions in it, in one transaction. */
  async record(batchId: string, model: string, submissionIds: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO grading_batches (batch_id, model, size) VALUES ($1, $2, $3)`, [batchId, model, submissionIds.length]);
      await tx.query(`UPDATE assessment_submissions SET grading_batch_id = $1 WHERE submission_id = ANY($2::uuid[]) AND status = 'pending'`, [
        batchId,
        submissionIds,
      ]);
    });
  }

  /** Batches sent and not collected yet, oldest first. */
  open(): Promise<OpenBatch[]> {
    return this.db.query(`SELECT batch_id, created_at FROM grading_batches WHERE ended_at IS NULL ORDER BY created_at`);
  }

  /** The submissions of a batch still pending. */
  async pendingIn(batchId: string): Promise<string[]> {
    const rows = await this.db.query<{ submission_id: string }[]>(
      `SELECT submission_id FROM assessment_submissions WHERE grading_batch_id = $1 AND status = 'pending'`,
      [batchId],
    );
    return rows.map((r) => r.submission_id);
  }

  /** Ends a collected batch; what it did not answer waits for the next batch. */
  async end(batchId: string): Promise<void> {
    await this.db.query(`UPDATE assessment_submissions SET grading_batch_id = NULL WHERE grading_batch_id = $1 AND status = 'pending'`, [batchId]);
    await this.db.query(`UPDATE grading_batches SET ended_at = now() WHERE batch_id = $1`, [batchId]);
  }
}
