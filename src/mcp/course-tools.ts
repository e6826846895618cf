import { Injectable } from '@nestjs/common';
import { FEATURES } from '../common/features/index.js';
import {
  ChapterParamsDto,
  ChaptersService,
  GlossaryQueryDto,
  GlossaryService,
  ProgressService,
  QuizParamsDto,
  QuizzesService,
  SubmitQuizDto,
  toGlossaryListDto,
} from '../core/index.js';
import {
  AdaptivePathRequestDto,
  AdaptivePathService,
  AnswerLimitPipe,
  AskTutorDto,
  AssessmentsService,
  SubmissionParamsDto,
  SubmitAssessmentDto,
  toAdaptivePathDto,
  toFeedbackDto,
  toSubmissionAcceptedDto,
  TutorService,
} from '../premium/index.js';
import { chapterMarkdown } from './chapter-markdown.js';
import { courseTool, READ_ONLY, RECORDS, type CourseTool } from './course-tool.js';

type Answer<T extends (...args: never[]) => unknown> = Awaited<ReturnType<T>>;

/**
 * The tools an assistant gets, in the order it sees them: each is one REST route, calling the
 * service method its controller calls. A new tool is one more entry here.
 */
@Injectable()
export class CourseTools {
  readonly list: readonly CourseTool[];

  constructor(
    private readonly chapters: ChaptersService,
    private readonly quizzes: QuizzesService,
    private readonly progress: ProgressService,
    private readonly glossary: GlossaryService,
    private readonly paths: AdaptivePathService,
    private readonly assessments: AssessmentsService,
    private readonly answerLimit: AnswerLimitPipe,
    private readonly tutor: TutorService,
  ) {
    this.list = [
      courseTool({
        name: 'list_chapters',
        title: 'List the course chapters',
        description:
          'Lists every chapter of the course in reading order: its chapter_id, title, summary, reading time and quiz_id. ' +
          'Start here, then read a chapter with read_chapter or test it with get_quiz.',
        operationId: 'listChapters',
        annotations: READ_ONLY,
        run: async () => ({ chapters: await this.chapters.list() }),
        text: ({ chapters }: { chapters: Answer<ChaptersService['list']> }) =>
          chapters
            .map((c) => `${c.order}. ${c.chapter_id}: ${c.title} (${c.estimated_minutes} min${c.quiz_id ? `, quiz ${c.quiz_id}` : ''})`)
            .join('\n'),
      }),
      courseTool({
        name: 'read_chapter',
        title: 'Read a chapter',
        description:
          'The full teaching text of one chapter as Markdown, with its key terms, its prerequisite chapters and its quiz_id. ' +
          'Use it to explain or summarise the chapter from the course itself.',
        operationId: 'getChapter',
        dto: { params: ChapterParamsDto },
        annotations: READ_ONLY,
        run: ({ params }) => this.chapters.get(params.chapter_id),
        text: (c: Answer<ChaptersService['get']>) =>
          `${chapterMarkdown(c)}\n\nKey terms: ${c.key_terms.join(', ') || 'none'}. ` +
          `Prerequisites: ${c.prerequisites.join(', ') || 'none'}. Quiz: ${c.quiz_id ?? 'none'}.`,
      }),
      courseTool({
        name: 'get_quiz',
        title: 'Get a quiz',
        description:
          'The questions of a chapter quiz with their answer options (the correct answers are never included). Ask the ' +
          'student each question, collect the option key they choose, then grade them all with submit_quiz.',
        operationId: 'getQuiz',
        dto: { params: QuizParamsDto },
        annotations: READ_ONLY,
        run: ({ params }) => this.quizzes.get(params.quiz_id),
        text: (q: Answer<QuizzesService['get']>) =>
          `${q.title} (chapter ${q.chapter_id}, pass mark ${q.pass_percentage}%)\n` +
          q.questions.map((x) => `${x.question_id}. ${x.prompt}\n${x.options.map((o) => `   ${o.key}) ${o.text}`).join('\n')}`).join('\n'),
      }),
      courseTool({
        name: 'submit_quiz',
        title: 'Submit quiz answers',
        description:
          'Grades the student\'s answers to a quiz on the server and records the attempt in their progress. `answers` maps ' +
          'each question_id to the chosen option key, e.g. {"q1": "a"}; unanswered questions count as wrong. Returns the ' +
          'score and, per question, whether it was right, the correct answer and why.',
        operationId: 'submitQuiz',
        dto: { params: QuizParamsDto, body: SubmitQuizDto },
        annotations: RECORDS,
        run: ({ params, body }, caller) => this.quizzes.submit(caller.student.studentId, params.quiz_id, body.answers),
        text: (r: Answer<QuizzesService['submit']>) =>
          `Score ${r.score}/${r.max_score} (${r.percentage}%): ${r.passed ? 'passed' : 'not passed'}.\n` +
          r.results
            .map((x) => `${x.question_id}: ${x.correct ? 'correct' : `wrong, the answer is ${x.correct_answer}`}. ${x.explanation}`)
            .join('\n'),
      }),
      courseTool({
        name: 'get_progress',
        title: 'Get the student\'s progress',
        description:
          'How far the student is through the course: per chapter not_started, in_progress or completed (quiz passed), ' +
          'the best quiz percentage and the number of attempts, and the overall percentage completed.',
        operationId: 'getProgress',
        annotations: READ_ONLY,
        run: (_input, caller) => this.progress.progress(caller.student.studentId),
        text: (p: Answer<ProgressService['progress']>) =>
          `${p.overall_percentage}% of the course completed.\n` +
          p.chapters
            .map((c) => `${c.chapter_id}: ${c.status.replace('_', ' ')}${c.best_percentage === null ? '' : `, best ${c.best_percentage}%`}, ${c.attempts} attempts`)
            .join('\n'),
      }),
      courseTool({
        name: 'lookup_term',
        title: 'Look up a term in the course glossary',
        description:
          'Definitions of the course\'s key terms and the chapter that teaches each. `q` is a term, its beginning or the ' +
          'beginning of any of its words ("emb", "nearest neigh"), or an abbreviation such as "RAG"; best match first. ' +
          'Without q, the whole glossary.',
        operationId: 'searchGlossary',
        dto: { query: GlossaryQueryDto },
        annotations: READ_ONLY,
        run: async ({ query }) => toGlossaryListDto(await this.glossary.search(query.q)),
        text: ({ terms }: Answer<typeof toGlossaryListDto>) =>
          terms.length === 0 ? 'No term of the course glossary matches.' : terms.map((t) => `${t.term} (${t.chapter_id}): ${t.definition}`).join('\n'),
      }),
      courseTool({
        name: 'get_learning_path',
        title: 'Get a personal learning path (premium)',
        description:
          'Premium: recommends what the student should review, start, continue or practise next, from their quiz results. ' +
          'A path still fresh is served from cache at no cost; a new one uses one unit of the monthly quota.',
        operationId: 'createAdaptivePath',
        dto: { body: AdaptivePathRequestDto },
        annotations: RECORDS,
        premium: { feature: FEATURES.adaptive_paths.name },
        run: async ({ body }, caller) => {
          const served = await this.paths.path({
            studentId: caller.student.studentId,
            forceRefresh: body.force_refresh ?? false,
            variant: caller.variant!,
            requestId: caller.requestId,
            signal: caller.signal,
          });
          return toAdaptivePathDto(served, body.include_reasoning ?? false);
        },
        text: (p: Answer<typeof toAdaptivePathDto>) =>
          `Learning path (${p.decision_source}):\n` +
          p.recommendations.map((r) => `${r.priority}. ${r.action} ${r.chapter_id}: ${r.reason}`).join('\n') +
          (p.reasoning ? `\n\n${p.reasoning}` : ''),
      }),
      courseTool({
        name: 'ask_tutor',
        title: 'Ask the course tutor (premium)',
        description:
          'Premium: answers a question about the course from its chapters, citing the sections used (chapter_id and ' +
          'section). Pass conversation_id from an earlier answer to ask a follow-up. Off-course questions are answered ' +
          'with off_course: true and the chapter list, at no cost; other answers use one unit of the monthly quota unless shared from cache.',
        operationId: 'askTutor',
        dto: { body: AskTutorDto },
        annotations: RECORDS,
        premium: { feature: FEATURES.tutor_questions.name },
        run: async ({ body }, caller) =>
          this.tutor.ask({
            studentId: caller.student.studentId,
            question: body.question,
            chapterId: body.chapter_id,
            conversationId: body.conversation_id,
            variant: caller.variant!,
            requestId: caller.requestId,
            signal: caller.signal,
          }),
        text: (a: Answer<TutorService['ask']>) =>
          a.answer_markdown + (a.citations.length ? `\n\nSources: ${a.citations.map((c) => `${c.chapter_id} › ${c.section}`).join('; ')}` : ''),
      }),
      courseTool({
        name: 'submit_assessment',
        title: 'Submit an open-ended answer for grading (premium)',
        description:
          'Premium: submits the student\'s written answer to an open-ended assessment question for grading against its ' +
          'rubric (one unit of the monthly quota). Grading takes a few seconds: then call get_assessment_feedback with ' +
          'the returned submission_id.',
        operationId: 'submitAssessment',
        dto: { body: SubmitAssessmentDto },
        pipes: { body: [this.answerLimit] },
        annotations: RECORDS,
        premium: { feature: FEATURES.assessments.name },
        run: async ({ body }, caller) =>
          toSubmissionAcceptedDto(
            await this.assessments.submit({
              studentId: caller.student.studentId,
              questionId: body.question_id,
              answerText: body.answer_text,
              variant: caller.variant!,
              signal: caller.signal,
            }),
          ),
        text: (s: Answer<typeof toSubmissionAcceptedDto>) =>
          `Submission ${s.submission_id} is ${s.status}. Call get_assessment_feedback with this submission_id for the grade.`,
      }),
      courseTool({
        name: 'get_assessment_feedback',
        title: 'Get the grade of an assessment answer (premium)',
        description:
          'Premium: the grade of one of the student\'s own submissions: pending while grading runs, then the score per ' +
          'rubric criterion, feedback, strengths and improvements. If it is pending, wait a few seconds and ask again.',
        operationId: 'getAssessmentFeedback',
        dto: { params: SubmissionParamsDto },
        annotations: READ_ONLY,
        premium: {},
        run: async ({ params }, caller) => toFeedbackDto(await this.assessments.feedback(caller.student.studentId, params.submission_id)),
        text: (f: Answer<typeof toFeedbackDto>) =>
          f.status !== 'graded'
            ? `Submission ${f.submission_id} is ${f.status}.`
            : `Score ${f.score}/${f.max_score} (graded by ${f.graded_by}).\n${f.feedback ?? ''}\n` +
              `Strengths: ${f.strengths.join('; ') || 'none'}\nImprovements: ${f.improvements.join('; ') || 'none'}`,
      }),
    ];
  }
}
