import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { APP_CONFIG } from '../../config/index.js';
import type { AppConfig } from '../../config/index.js';
import { answerLengthIssue, type SubmitAssessmentDto } from './assessments.dto.js';

/** After the DTO's own validation: the answer within the configured ASSESSMENT_MAX_CHARS. */
@Injectable()
export class AnswerLimitPipe implements PipeTransform<SubmitAssessmentDto, SubmitAssessmentDto> {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  transform(body: SubmitAssessmentDto): SubmitAssessmentDto {
    const issue = answerLengthIssue(body, this.config.ASSESSMENT_MAX_CHARS);
    if (issue) throw ApiException.validation([issue]);
    return body;
  }
}
