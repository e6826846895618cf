import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { KEY_VALUE_STORE, Memo, type KeyValueStore } from '../../common/cache/index.js';
import { CourseSearchService } from '../../core/index.js';
import type { Citation } from './tutor-answer.js';

/** A model's answer, kept for anyone who asks the same question of the same course content. */
export type SharedAnswer = { answer_markdown: string; citations: Citation[] };

const TTL_SECONDS = 7 * 24 * 3600;
/** The course's content version is read again at most this often (it changes when the course is seeded). */
const VERSION_TTL_MS = 30_000;

/**
 * The tutor's shared cache: a question with no conversation and no personal data gets the same
 * answer for everyone, so the model is asked once per normalised question, chapter filter and
 * course content version. A new version of the course makes every older key unreachable.
 */
@Injectable()
export class TutorAnswerCache {
  private readonly version = new Memo<Promise<string>>({ max: 1, ttlMs: VERSION_TTL_MS });

  constructor(
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    private readonly search: CourseSearchService,
  ) {}

  async get(question: string, chapterId: string | undefined): Promise<SharedAnswer | undefined> {
    const raw = await this.store.get(await this.key(question, chapterId));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as SharedAnswer;
    } catch {
      return undefined;
    }
  }

  async put(question: string, chapterId: string | undefined, answer: SharedAnswer): Promise<void> {
    await this.store.set(await this.key(question, chapterId), JSON.stringify(answer), TTL_SECONDS);
  }

  private async key(question: string, chapterId: string | undefined): Promise<string> {
    const version = await this.version.get('course', async () => {
      const versions = [...(await this.search.contentVersions())].sort(([a], [b]) => a.localeCompare(b));
      return createHash('sha256').update(JSON.stringify(versions)).digest('hex').slice(0, 16);
    });
    const digest = createHash('sha256').update(`${chapterId ?? '*'}\n${normaliseQuestion(question)}`).digest('hex');
    return `tutor:answer:${version}:${digest}`;
  }
}

/** Case, accents, punctuation and spacing do not make a question different. */
export function normaliseQuestion(question: string): string {
  return question
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
