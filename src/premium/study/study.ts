/** The study tools, as stored in study_materials.tool. */
export type StudyTool = 'flashcards' | 'practice_quiz' | 'summary';

/** Bounds of `count` (API.md) and the defaults when a request names none. */
export const FLASHCARD_COUNT = { min: 5, max: 30, default: 10 } as const;
export const PRACTICE_COUNT = { min: 3, max: 10, default: 5 } as const;

/**
 * Which generator a material comes from: `llm` (the model, checked) or `rules` (deterministic).
 * The `rules` variant and a deployment with no model share the `rules` lane: their material is the
 * same, and adding an API key later starts an empty `llm` lane instead of serving rules for ever.
 */
export type StudyLane = 'llm' | 'rules';

/** What makes two requests ask for the same material. */
export type MaterialKey = { chapterId: string; contentVersion: string; tool: StudyTool; count: number; lane: StudyLane };

export type Flashcard = { front: string; back: string; section: string };
export type FlashcardSet = { cards: Flashcard[] };

/** A practice question as stored: with its key, which leaves the server only after a submit. */
export type PracticeQuestion = {
  question_id: string;
  prompt: string;
  options: { key: string; text: string }[];
  correct_answer: string;
  explanation: string;
  section: string;
};
export type PracticeSet = { questions: PracticeQuestion[] };

export type ChapterSummary = { summary_markdown: string; key_points: string[] };

export type MaterialContent = { flashcards: FlashcardSet; practice_quiz: PracticeSet; summary: ChapterSummary };

/** A stored material. */
export type StudyMaterial<K extends StudyTool = StudyTool> = {
  material_id: string;
  chapter_id: string;
  tool: K;
  decision_source: 'llm' | 'rules';
  content: MaterialContent[K];
  generated_at: string;
};

/**
 * What a request is served: material just generated (by the model, or by the rules, `fellBack`
 * when they answered for a failed model) or the shared copy from the store.
 */
export type ServedMaterial<K extends StudyTool = StudyTool> = {
  material: StudyMaterial<K>;
  source: 'llm' | 'rules' | 'cache';
  fellBack: boolean;
  /** Practice quizzes only: the student's own session of the material. */
  practiceId?: string;
};

export function materialKeyString(key: MaterialKey): string {
  return `${key.chapterId}:${key.contentVersion}:${key.tool}:${key.count}:${key.lane}`;
}
