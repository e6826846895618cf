import { Phase1Core1763800000000 } from './1763800000000-phase1-core.js';
import { LlmUsageLogs1763900000000 } from './1763900000000-llm-usage-logs.js';
import { Premium1764000000000 } from './1764000000000-premium.js';
import { Admin1764100000000 } from './1764100000000-admin.js';
import { QuotaHolds1764200000000 } from './1764200000000-quota-holds.js';
import { LlmBillingAndGrading1764300000000 } from './1764300000000-llm-billing-and-grading.js';
import { SubscriptionAudit1764400000000 } from './1764400000000-subscription-audit.js';
import { GradingLeaseHolder1764520000000 } from './1764520000000-grading-lease-holder.js';
import { CourseSections1764613000000 } from './1764613000000-course-sections.js';
import { Glossary1764614000000 } from './1764614000000-glossary.js';
import { TutorConversations1764690000000 } from './1764690000000-tutor-conversations.js';
import { StudyTools1764700000000 } from './1764700000000-study-tools.js';

/** Every migration, oldest first. A new migration is added here as well as in this folder. */
export const ALL_MIGRATIONS = [
  Phase1Core1763800000000,
  LlmUsageLogs1763900000000,
  Premium1764000000000,
  Admin1764100000000,
  QuotaHolds1764200000000,
  LlmBillingAndGrading1764300000000,
  SubscriptionAudit1764400000000,
  GradingLeaseHolder1764520000000,
  CourseSections1764613000000,
  Glossary1764614000000,
  TutorConversations1764690000000,
  StudyTools1764700000000,
];
