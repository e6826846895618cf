import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../../common/http/index.js';
import { GlossaryListDto, GlossaryQueryDto, GlossaryTermDto, GlossaryTermParamsDto, toGlossaryListDto } from './glossary.dto.js';
import { GlossaryService } from './glossary.service.js';

@ApiTags('glossary')
@Controller('api/v1/glossary')
export class GlossaryController {
  constructor(private readonly glossary: GlossaryService) {}

  @Get()
  @ApiRoute({
    operationId: 'searchGlossary',
    summary: 'The course glossary, or the terms matching q',
    description:
      'Every key term of the course with its definition and the chapter that teaches it, matched by prefix and word, ' +
      'case- and accent-insensitive. Without q (or with an empty one) every term, alphabetically; the list is the ' +
      'course glossary, a few dozen terms, so it is not paginated.',
    errors: ['VALIDATION_ERROR'],
  })
  @ApiOkResponse({ type: GlossaryListDto, description: 'The matching terms (possibly none)' })
  async search(@Query() query: GlossaryQueryDto): Promise<GlossaryListDto> {
    return toGlossaryListDto(await this.glossary.search(query.q));
  }

  @Get(':term')
  @ApiRoute({
    operationId: 'getGlossaryTerm',
    summary: 'One glossary term with its related terms',
    description: 'Looked up by the term or an abbreviation, ignoring case, accents and the difference between hyphens and spaces.',
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  })
  @ApiOkResponse({ type: GlossaryTermDto, description: 'The term' })
  async get(@Param() params: GlossaryTermParamsDto): Promise<GlossaryTermDto> {
    const e = await this.glossary.get(params.term);
    return { term: e.term, definition: e.definition, chapter_id: e.chapter_id, related: e.related };
  }
}
