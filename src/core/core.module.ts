import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ContentModule } from './content/content.module.js';
import { GlossaryModule } from './glossary/glossary.module.js';
import { ProgressModule } from './progress/progress.module.js';
import { QuizzesModule } from './quizzes/quizzes.module.js';
import { StudentsModule } from './students/students.module.js';

/** Phase 1, the free Core: deterministic, and never touches an LLM. */
@Module({
  imports: [AuthModule, StudentsModule, ContentModule, GlossaryModule, QuizzesModule, ProgressModule],
  // What Phase 2 may read: students, the catalog and its search, the glossary, quiz results (and the
  // MCP tools: quizzes and progress). Nothing flows back.
  exports: [StudentsModule, ContentModule, GlossaryModule, QuizzesModule, ProgressModule],
})
export class CoreModule {}
