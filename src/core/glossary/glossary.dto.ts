import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { GlossaryEntry } from './glossary-index.js';

/**
 * What terms are made of: letters of any script, digits, spaces, hyphens and `@` (recall@k). Written
 * as the ASCII punctuation and control characters it refuses, so the OpenAPI pattern is the same
 * regular expression without needing Unicode property classes.
 */
// eslint-disable-next-line no-control-regex -- the control characters are the ones refused
export const GLOSSARY_TEXT = /^[^\x00-\x1f!-,./:-?[-`{-\x9f]*$/;
export const GLOSSARY_TEXT_MAX = 64;
const TEXT_ISSUE = 'may hold letters, digits, spaces, hyphens and @, and no other punctuation';

export class GlossaryQueryDto {
  @ApiPropertyOptional({
    description:
      'A term, its beginning, or the beginning of any of its words ("emb", "search", "nearest neigh"), also matching ' +
      'abbreviations such as "RAG"; case, accents and hyphens are ignored. Absent, empty or blank: every term.',
    maxLength: GLOSSARY_TEXT_MAX,
    pattern: GLOSSARY_TEXT.source,
    example: 'search',
  })
  @IsOptional()
  @IsString({ message: 'must be given once, as text' })
  @MaxLength(GLOSSARY_TEXT_MAX)
  @Matches(GLOSSARY_TEXT, { message: TEXT_ISSUE })
  q?: string;
}

export class GlossaryTermParamsDto {
  @ApiProperty({
    description: 'The term or one of its abbreviations, in any case, with hyphens or spaces ("LoRA", "rag", "large-language-model")',
    minLength: 1,
    maxLength: GLOSSARY_TEXT_MAX,
    pattern: GLOSSARY_TEXT.source,
    example: 'context window',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(GLOSSARY_TEXT_MAX)
  @Matches(GLOSSARY_TEXT, { message: TEXT_ISSUE })
  term!: string;
}

export class GlossaryTermSummaryDto {
  @ApiProperty({ example: 'semantic search' }) term!: string;
  @ApiProperty({
    example: 'Search that ranks documents by closeness of meaning, usually by comparing embeddings, so it finds paraphrases that share no words with the query.',
  })
  definition!: string;
  @ApiProperty({ example: '03-embeddings', description: 'The chapter that teaches the term' }) chapter_id!: string;
}

export class GlossaryListDto {
  @ApiProperty({
    type: [GlossaryTermSummaryDto],
    description: 'Matching terms, best match first (the whole name, then its beginning, then a later word), then alphabetically; every term, alphabetically, without q',
  })
  terms!: GlossaryTermSummaryDto[];
}

export class GlossaryTermDto extends GlossaryTermSummaryDto {
  @ApiProperty({ type: [String], example: ['embedding', 'hybrid search', 'cosine similarity'], description: 'Other glossary terms worth reading next' })
  related!: string[];
}

/** The search route's answer: each entry without its related terms. */
export function toGlossaryListDto(entries: readonly GlossaryEntry[]): GlossaryListDto {
  return { terms: entries.map((e) => ({ term: e.term, definition: e.definition, chapter_id: e.chapter_id })) };
}
