import { Injectable } from '@nestjs/common';
import { Memo } from '../../common/cache/index.js';
import { ApiException } from '../../common/errors/index.js';
import { CONTENT_TTL_MS } from '../content/chapters.service.js';
import { GlossaryIndex, type GlossaryEntry } from './glossary-index.js';
import { GlossaryRepository } from './glossary.repository.js';

/** The course glossary, kept in process like the chapters (it changes only when seeded). */
@Injectable()
export class GlossaryService {
  private readonly content = new Memo<Promise<GlossaryIndex>>({ max: 1, ttlMs: CONTENT_TTL_MS });

  constructor(private readonly glossary: GlossaryRepository) {}

  async search(query: string | undefined): Promise<GlossaryEntry[]> {
    return (await this.index()).search(query ?? '');
  }

  /** The entry a term or alias names; NOT_FOUND otherwise. */
  async get(term: string): Promise<GlossaryEntry> {
    const entry = (await this.index()).find(term);
    if (!entry) throw ApiException.notFound(`Glossary term ${term}`);
    return entry;
  }

  /** Every term, alphabetically. */
  async all(): Promise<GlossaryEntry[]> {
    return (await this.index()).all();
  }

  private index(): Promise<GlossaryIndex> {
    return this.content.get('glossary', async () => new GlossaryIndex(await this.glossary.all()));
  }
}
