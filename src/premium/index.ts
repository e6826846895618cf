export { PremiumModule } from './premium.module.js';
export { AssessmentGradingModule } from './assessments/assessment-grading.module.js';
export { gradingBudgetProblems } from './assessments/grading-budget.js';
export { PremiumReportingModule } from './reporting/premium-reporting.module.js';
// For the seed, which runs without the Nest application.
export { AssessmentQuestionsSeedRepository, type AssessmentQuestionSeed } from './seeding/assessment-questions-seed.repository.js';
