import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { answerLengthIssue, type SubmitAssessmentDto } from './assessments.dto.js';

export const answerLimitConfig = configSlice('assessment-answers', ['ASSESSMENT_MAX_CHARS']);

/** After the DTO's own validation: the answer within the configured ASSESSMENT_MAX_CHARS. */
@Injectable()
export class AnswerLimitPipe implements PipeTransform<SubmitAssessmentDto, SubmitAssessmentDto> {
  constructor(@Inject(answerLimitConfig.KEY) private readonly config: ConfigOf<typeof answerLimitConfig>) {}

  transform(body: SubmitAssessmentDto): SubmitAssessmentDto {
    const issue = answerLengthIssue(body, this.config.ASSESSMENT_MAX_CHARS);
    if (issue) throw ApiException.validation([issue]);
    return body;
  }
}
