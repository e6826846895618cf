import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../../common/http/api-docs.js';
import { ChapterDto, ChapterListDto, ChapterParamsDto } from './chapters.dto.js';
import { ChaptersService } from './chapters.service.js';

@ApiTags('chapters')
@Controller('api/v1/chapters')
export class ChaptersController {
  constructor(private readonly chapters: ChaptersService) {}

  @Get()
  @ApiRoute({ operationId: 'listChapters', summary: 'The course chapters, in order', description: 'Every chapter with its summary, reading time and quiz.' })
  @ApiOkResponse({ type: ChapterListDto, description: 'The chapters' })
  async list(): Promise<ChapterListDto> {
    return { chapters: await this.chapters.list() };
  }

  @Get(':chapter_id')
  @ApiRoute({
    operationId: 'getChapter',
    summary: 'One chapter with its teaching content',
    description: 'The chapter as Markdown, with its key terms, quiz and prerequisite chapters.',
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  })
  @ApiOkResponse({ type: ChapterDto, description: 'The chapter' })
  get(@Param() params: ChapterParamsDto): Promise<ChapterDto> {
    return this.chapters.get(params.chapter_id);
  }
}
