import { z } from 'zod';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

const quizQuestion = z
  .object({
    question_id: z.string().regex(/^q\d{1,2}$/),
    prompt: z.string().min(1),
    options: z.array(z.object({ key: z.string().regex(/^[a-z]$/), text: z.string().min(1) })).min(2).max(6),
    correct_answer: z.string(),
    explanation: z.string().min(1),
  })
  .refine((q) => q.options.some((o) => o.key === q.correct_answer), { message: 'correct_answer must be an option key' })
  .refine((q) => new Set(q.options.map((o) => o.key)).size === q.options.length, { message: 'option keys must be unique' });

const criterion = z.object({
  criterion_id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  description: z.string().min(1),
  max_score: z.number().int().positive(),
  full_marks: z.string().min(1),
  partial_marks: z.string().min(1),
  key_concepts: z.array(z.object({ concept: z.string().min(1), synonyms: z.array(z.string().min(1)) })).min(1),
});

const assessmentQuestion = z
  .object({
    question_id: z.string().regex(/^[a-z0-9-]+-q\d+$/),
    prompt: z.string().min(1),
    max_score: z.number().int().positive(),
    rubric_summary: z.string().min(1),
    rubric: z.array(criterion).min(1),
    reference_answer: z.string().min(1),
  })
  .refine((q) => q.rubric.reduce((sum, c) => sum + c.max_score, 0) === q.max_score, {
    message: 'rubric max_scores must add up to max_score',
  })
  .refine((q) => new Set(q.rubric.map((c) => c.criterion_id)).size === q.rubric.length, {
    message: 'criterion ids must be unique',
  });

const glossaryEntry = z.object({
  term: z.string().min(1).max(100),
  /** Authored, one or two sentences. */
  definition: z.string().min(20).max(400),
  /** Other names a student may look the term up by (abbreviations, spellings). */
  aliases: z.array(z.string().min(1).max(100)).default([]),
  /** Other glossary terms, anywhere in the course. */
  related: z.array(z.string().min(1)).min(1),
});

export const chapterFileSchema = z.object({
  chapter_id: slug,
  title: z.string().min(1).max(200),
  order: z.number().int().positive(),
  summary: z.string().min(1).max(300),
  estimated_minutes: z.number().int().positive(),
  key_terms: z.array(z.string().min(1)),
  /** A definition of each key term this chapter is the first to teach. */
  glossary: z.array(glossaryEntry),
  prerequisites: z.array(slug),
  quiz: z.object({
    quiz_id: slug,
    title: z.string().min(1).max(200),
    pass_percentage: z.number().int().min(0).max(100),
    questions: z.array(quizQuestion).min(1),
  }),
  assessment_questions: z.array(assessmentQuestion),
});

export type ChapterFile = z.infer<typeof chapterFileSchema>;
export type ChapterContent = ChapterFile & { content_markdown: string };
export type GlossaryEntryContent = ChapterFile['glossary'][number];
export type AssessmentQuestionContent = ChapterFile['assessment_questions'][number];

export const demoUsersSchema = z.array(
  z.object({
    email: z.email(),
    password: z.string().min(8),
    full_name: z.string().min(1),
    subscription_tier: z.enum(['free', 'premium']),
    /** Premium demo accounts expire this many days after they are created. */
    subscription_days: z.number().int().positive().optional(),
    role: z.enum(['student', 'admin']),
  }),
);

export type DemoUser = z.infer<typeof demoUsersSchema>[number];
