import { Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { ChaptersService, CourseSearchService, GlossaryService, QuizzesService, type GlossaryEntry } from '../../core/index.js';

export type StudySection = { section_id: string; heading: string; body: string; key_terms: string[] };

/** Everything study material is made from: course content only, never anything about a student. */
export type StudyChapter = {
  chapter_id: string;
  title: string;
  /** The hash the chapter's sections were indexed from: new text, new material. */
  content_version: string;
  sections: StudySection[];
  /** The glossary terms this chapter teaches. */
  terms: GlossaryEntry[];
  /** Every other chapter's terms (distractors when this chapter has too few). */
  otherTerms: GlossaryEntry[];
  /** The prompts of the chapter's graded quiz, which practice questions must never copy. */
  quizPrompts: string[];
};

/** Reads a chapter's study context through Core's services (all kept in memory or one indexed query). */
@Injectable()
export class StudyChapterReader {
  constructor(
    private readonly chapters: ChaptersService,
    private readonly search: CourseSearchService,
    private readonly glossary: GlossaryService,
    private readonly quizzes: QuizzesService,
  ) {}

  /** NOT_FOUND for an unknown chapter (or one whose sections are not indexed yet). */
  async read(chapterId: string): Promise<StudyChapter> {
    const chapter = await this.chapters.get(chapterId);
    const [sections, versions, glossary, quiz] = await Promise.all([
      this.search.chapterSections(chapterId),
      this.search.contentVersions(),
      this.glossary.all(),
      chapter.quiz_id ? this.quizzes.get(chapter.quiz_id) : Promise.resolve(undefined),
    ]);
    const version = versions.get(chapterId);
    if (!version || sections.length === 0) throw ApiException.notFound(`Chapter ${chapterId}`);
    return {
      chapter_id: chapter.chapter_id,
      title: chapter.title,
      content_version: version,
      sections,
      terms: glossary.filter((t) => t.chapter_id === chapterId),
      otherTerms: glossary.filter((t) => t.chapter_id !== chapterId),
      quizPrompts: quiz?.questions.map((q) => q.prompt) ?? [],
    };
  }
}
