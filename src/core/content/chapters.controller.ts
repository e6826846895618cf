import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../../common/http/index.js';
import { ChapterDto, ChapterListDto, ChapterParamsDto } from './chapters.dto.js';
import { ChaptersService } from './chapters.service.js';

@ApiTags('chapters')
@Controller('api/v1/chapters')
export class ChaptersController {
  constructor(private readonly chapters: ChaptersService) {}

  @Get()
  @ApiRoute({ operationId: 'listChapters', summary: 'The course chapters, in order' })
  @ApiOkResponse({ type: ChapterListDto })
  async list(): Promise<ChapterListDto> {
    return { chapters: await this.chapters.list() };
  }

  @Get(':chapter_id')
  @ApiRoute({
    operationId: 'getChapter',
    summary: 'One chapter with its teaching content',
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  })
  @ApiOkResponse({ type: ChapterDto })
  get(@Param() params: ChapterParamsDto): Promise<ChapterDto> {
    return this.chapters.get(params.chapter_id);
  }
}
