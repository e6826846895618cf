import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { GlossaryEntry } from './glossary-index.js';

/** The glossary_terms table: the course's key terms with their authored definitions. */
@Injectable()
export class GlossaryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  all(): Promise<GlossaryEntry[]> {
    return this.db.query(`SELECT term, definition, chapter_id, aliases, related FROM glossary_terms`);
  }

  /** Makes the table hold exactly `entries`: others are removed, a row that already matches is left alone. */
  async replaceAll(entries: GlossaryEntry[], tx: EntityManager = this.db.manager): Promise<void> {
    await tx.query(`DELETE FROM glossary_terms WHERE NOT (term = ANY($1))`, [entries.map((e) => e.term)]);
    for (const e of entries) {
      await tx.query(
        `INSERT INTO glossary_terms (term, chapter_id, definition, aliases, related) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (term) DO UPDATE SET chapter_id = EXCLUDED.chapter_id, definition = EXCLUDED.definition,
           aliases = EXCLUDED.aliases, related = EXCLUDED.related, updated_at = now()
         WHERE (glossary_terms.chapter_id, glossary_terms.definition, glossary_terms.aliases, glossary_terms.related)
           IS DISTINCT FROM (EXCLUDED.chapter_id, EXCLUDED.definition, EXCLUDED.aliases, EXCLUDED.related)`,
        [e.term, e.chapter_id, e.definition, JSON.stringify(e.aliases), JSON.stringify(e.related)],
      );
    }
  }
}
