/** Public API of Core (v1): its module, the services other modules may call, and the password policy. */
export { hashPassword } from './auth/password-hasher.js';
export { SLUG } from './content/chapters.dto.js';
export { ChaptersService } from './content/chapters.service.js';
export { CourseSearchService, type SectionHit } from './content/course-search.service.js';
export { glossaryKey, type GlossaryEntry } from './glossary/glossary-index.js';
export { GlossaryService } from './glossary/glossary.service.js';
export { GlossaryQueryDto, toGlossaryListDto } from './glossary/glossary.dto.js';
export { ChapterParamsDto } from './content/chapters.dto.js';
export { ProgressService } from './progress/progress.service.js';
export { QuizParamsDto, SubmitQuizDto } from './quizzes/quizzes.dto.js';
export { QuizzesService } from './quizzes/quizzes.service.js';
export { answerIssues } from './quizzes/quiz-grading.js';
export { CoreModule } from './core.module.js';
export { QuizResultsRepository } from './quizzes/quiz-results.repository.js';
export { Student } from './students/student.entity.js';
export { StudentsService, type SubscriptionChange } from './students/students.service.js';
// Repositories for the commands that run without the Nest application (seed, admin:create, demo:usage).
export { ChaptersRepository, type ChapterSeed } from './content/chapters.repository.js';
export { QuizzesRepository, type QuizSeed } from './quizzes/quizzes.repository.js';
export { SectionsRepository } from './content/sections.repository.js';
export { GlossaryRepository } from './glossary/glossary.repository.js';
export { StudentsRepository, type NewStudent } from './students/students.repository.js';
export { MeResponseDto, RegisterDto } from './auth/auth.dto.js';
export { toMe } from './auth/auth.service.js';
export type { SubscriptionTier } from './students/student.entity.js';
