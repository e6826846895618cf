export { PremiumModule } from './premium.module.js';
export { AssessmentGradingModule } from './assessments/assessment-grading.module.js';
export { gradingBudgetProblems } from './assessments/grading-budget.js';
export { PremiumReportingModule } from './reporting/premium-reporting.module.js';
// For the seed, which runs without the Nest application.
export { AssessmentQuestionsSeedRepository, type AssessmentQuestionSeed } from './seeding/assessment-questions-seed.repository.js';
export { AdaptivePathService } from './adaptive/adaptive-path.service.js';
export { AdaptivePathRequestDto, toAdaptivePathDto } from './adaptive/adaptive-path.dto.js';
export { AnswerLimitPipe } from './assessments/answer-limit.pipe.js';
export { AssessmentsService } from './assessments/assessments.service.js';
export { SubmissionParamsDto, SubmitAssessmentDto, toFeedbackDto, toSubmissionAcceptedDto } from './assessments/assessments.dto.js';
export { clientSignal } from './client-gone.js';
export { PremiumGuard } from './gating/premium.guard.js';
export { TutorService } from './tutor/tutor.service.js';
export { AskTutorDto } from './tutor/tutor.dto.js';
