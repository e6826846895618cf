import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../usage/index.js';
import type { MaterialContent, MaterialKey, StudyMaterial, StudyTool } from './study.js';

type MaterialRow = { material_id: string; chapter_id: string; tool: StudyTool; decision_source: 'llm' | 'rules'; content: unknown; generated_at: Date };

export type NewMaterial = {
  materialId: string;
  key: MaterialKey;
  source: 'llm' | 'rules';
  content: MaterialContent[StudyTool];
  /** Shared material is served to every later request of its key; a fallback is kept unshared. */
  shared: boolean;
  model: string | null;
  generatedBy: string;
};

const COLUMNS = `material_id, chapter_id, tool, decision_source, content, generated_at`;

/** `study_materials`: generated study material, one shared copy per key. */
@Injectable()
export class StudyMaterialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findShared<K extends StudyTool>(key: MaterialKey & { tool: K }): Promise<StudyMaterial<K> | undefined> {
    const rows = await this.db.query<MaterialRow[]>(
      `SELECT ${COLUMNS} FROM study_materials
        WHERE chapter_id = $1 AND content_version = $2 AND tool = $3 AND item_count = $4 AND lane = $5 AND shared`,
      [key.chapterId, key.contentVersion, key.tool, key.count, key.lane],
    );
    return rows[0] && (toMaterial(rows[0]) as StudyMaterial<K>);
  }

  /**
   * Stores the material (a shared one only if its key has none yet: the first stored wins) and
   * runs `settle` in the same transaction with the material that stands for the key and whether
   * it is the one just written, so the material and its quota unit commit together.
   */
  save<T>(material: NewMaterial, settle: (tx: SqlExecutor, stored: StudyMaterial, inserted: boolean) => Promise<T>): Promise<T> {
    const { key } = material;
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query<MaterialRow[]>(
        `INSERT INTO study_materials (material_id, chapter_id, content_version, tool, item_count, lane, decision_source, shared, content, model, generated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (chapter_id, content_version, tool, item_count, lane) WHERE shared DO NOTHING
         RETURNING ${COLUMNS}`,
        [material.materialId, key.chapterId, key.contentVersion, key.tool, key.count, key.lane, material.source, material.shared,
          JSON.stringify(material.content), material.model, material.generatedBy],
      );
      if (inserted[0]) return settle(tx, toMaterial(inserted[0]), true);
      const [existing] = await tx.query<MaterialRow[]>(
        `SELECT ${COLUMNS} FROM study_materials
          WHERE chapter_id = $1 AND content_version = $2 AND tool = $3 AND item_count = $4 AND lane = $5 AND shared`,
        [key.chapterId, key.contentVersion, key.tool, key.count, key.lane],
      );
      return settle(tx, toMaterial(existing!), false);
    });
  }
}

function toMaterial(row: MaterialRow): StudyMaterial {
  return {
    material_id: row.material_id,
    chapter_id: row.chapter_id,
    tool: row.tool,
    decision_source: row.decision_source,
    content: row.content as MaterialContent[StudyTool],
    generated_at: row.generated_at.toISOString(),
  };
}
