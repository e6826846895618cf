export { PremiumModule } from './premium.module.js';
export { gradingBudgetProblems } from './assessments/grading-budget.js';
