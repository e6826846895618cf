import type { StudyChapter } from './study-chapter.js';
import type { StudyTool } from './study.js';

/**
 * Prompts for study material. The material is shared by every student, so nothing about any
 * student goes in: only the course's own text (trusted content, not student data).
 */

const TASKS: Record<StudyTool, string> = {
  flashcards:
    'Write flashcards for revising this chapter. Each card has a short front (a term, or a question a student should be able ' +
    'to answer) and a back of one to three sentences that answers it from the chapter alone. Cover the chapter\'s key terms and ' +
    'ideas without repeating a card. Give each card the id of the section it comes from.',
  practice_quiz:
    'Write multiple-choice practice questions on this chapter. Each has exactly four distinct options, exactly one of them ' +
    'correct (marked correct: true), an explanation of one or two sentences of why it is correct, and the id of the section ' +
    'that teaches it. Distractors are plausible but clearly wrong by the chapter. Never reuse or reword a question of the ' +
    'graded chapter quiz listed in the request.',
  summary:
    'Summarise this chapter for revision in Markdown (a few short paragraphs or bullet lists under ### headings, about 200 to ' +
    '350 words), faithful to the chapter only, then give 3 to 8 key points of one sentence each.',
};

/** Stable for every request on this chapter and tool: the chapter's sections, then the task. */
export function studySystemPrompt(chapter: StudyChapter, tool: StudyTool): string[] {
  return [
    `You write study material for the course "Building with generative AI", from one chapter's text only. ` +
      `Chapter "${chapter.title}" (${chapter.chapter_id}), section by section, each headed by its id in brackets:\n\n` +
      chapter.sections.map((s) => `[${s.section_id}] ${s.heading}\n${s.body}`).join('\n\n'),
    TASKS[tool],
  ];
}

/** The per-request part: how many items, and for practice questions what they must not copy. */
export function studyInput(chapter: StudyChapter, tool: StudyTool, count: number): string {
  if (tool === 'summary') return 'Summarise the chapter.';
  if (tool === 'flashcards') return `Write exactly ${count} flashcards.`;
  const graded = chapter.quizPrompts.map((p) => `- ${p}`).join('\n');
  return `Write ${count} practice questions, plus up to 2 spare ones.\nThe graded chapter quiz (never reuse these):\n${graded || '- (none)'}`;
}
