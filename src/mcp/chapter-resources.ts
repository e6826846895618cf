import { Injectable } from '@nestjs/common';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { ListResourcesResult, ListResourceTemplatesResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiException } from '../common/errors/index.js';
import { createValidationPipe } from '../common/http/index.js';
import { ChapterParamsDto, ChaptersService } from '../core/index.js';
import { chapterMarkdown } from './chapter-markdown.js';

const TEMPLATE = new UriTemplate('course://chapters/{chapter_id}');
const MARKDOWN = 'text/markdown';

/**
 * Each chapter as a resource a client can attach to a conversation: listed from the catalog and
 * read through ChaptersService, the chapter id checked with the REST route's DTO.
 */
@Injectable()
export class ChapterResources {
  private readonly pipe = createValidationPipe();

  constructor(private readonly chapters: ChaptersService) {}

  templates(): ListResourceTemplatesResult {
    return {
      resourceTemplates: [
        {
          uriTemplate: TEMPLATE.toString(),
          name: 'chapter',
          title: 'Course chapter',
          description: 'One chapter of the course, its full teaching text as Markdown',
          mimeType: MARKDOWN,
        },
      ],
    };
  }

  async list(): Promise<ListResourcesResult> {
    const chapters = await this.chapters.list();
    return {
      resources: chapters.map((c) => ({
        uri: TEMPLATE.expand({ chapter_id: c.chapter_id }),
        name: c.chapter_id,
        title: c.title,
        description: c.summary,
        mimeType: MARKDOWN,
      })),
    };
  }

  /** Throws NOT_FOUND for a URI that names no chapter, VALIDATION_ERROR for one that cannot. */
  async read(uri: string): Promise<ReadResourceResult> {
    const variables = TEMPLATE.match(uri);
    if (!variables) throw ApiException.notFound('The resource');
    const { chapter_id } = (await this.pipe.transform(variables, { type: 'param', metatype: ChapterParamsDto })) as ChapterParamsDto;
    const chapter = await this.chapters.get(chapter_id);
    return { contents: [{ uri, mimeType: MARKDOWN, text: chapterMarkdown(chapter) }] };
  }
}
