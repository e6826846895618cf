import type { GlossaryEntry } from '../../core/index.js';
import { mulberry32 } from '../../common/random/index.js';
import type { StudyChapter, StudySection } from './study-chapter.js';
import type { PracticeQuestionDraft } from './study.schemas.js';
import type { ChapterSummary, Flashcard } from './study.js';
import { normaliseText, openingSentences, seedOf, shuffled } from './study-text.js';
import { validPractice } from './study-validation.js';

/**
 * Deterministic study material from the course's own text and glossary: what the `rules` variant
 * and a deployment without a model serve, and the fallback when the model fails. Same chapter
 * version and count, same material.
 */

/** The section where a term is taught: the first whose key terms list it, else the first that names it. */
export function sectionOfTerm(term: string, sections: readonly StudySection[]): string {
  const key = normaliseText(term);
  const listed = sections.find((s) => s.key_terms.some((t) => normaliseText(t) === key));
  const named = listed ?? sections.find((s) => ` ${normaliseText(s.body)} `.includes(` ${key} `));
  return (named ?? sections[0]!).section_id;
}

/**
 * Up to `count` cards: each term with its definition, then each section's opening, then each
 * definition asking for its term. A chapter with few terms and sections gives fewer cards.
 */
export function rulesFlashcards(chapter: StudyChapter, count: number): Flashcard[] {
  const terms = chapter.terms.map((t) => ({ term: t, section: sectionOfTerm(t.term, chapter.sections) }));
  const cards: Flashcard[] = [
    ...terms.map(({ term, section }) => ({ front: term.term, back: term.definition, section })),
    ...chapter.sections
      .map((s) => ({ front: `What does "${s.heading}" cover?`, back: openingSentences(s.body, 2), section: s.section_id }))
      .filter((c) => c.back !== ''),
    ...terms.map(({ term, section }) => ({ front: `Which term is this? ${term.definition}`, back: term.term, section })),
  ];
  return cards.slice(0, count);
}

/**
 * `count` questions, or as many as the chapter's terms allow: which definition fits a term, then
 * which term fits a definition, each with three distractors from other terms (this chapter's
 * first, then the course's), chosen by a generator seeded with chapter and count. Checked as the
 * model's questions are, so none copies the graded quiz.
 */
export function rulesPractice(chapter: StudyChapter, count: number): PracticeQuestionDraft[] {
  const random = mulberry32(seedOf(`${chapter.chapter_id}:${count}`));
  const others = (term: GlossaryEntry) => {
    const sameChapter = shuffled(chapter.terms.filter((t) => t.term !== term.term), random);
    const course = shuffled(chapter.otherTerms, random);
    return [...sameChapter, ...course].slice(0, 3);
  };
  const drafts: PracticeQuestionDraft[] = [];
  for (const term of chapter.terms) {
    const section = sectionOfTerm(term.term, chapter.sections);
    drafts.push({
      prompt: `Which statement defines "${term.term}"?`,
      options: [{ text: term.definition, correct: true }, ...others(term).map((o) => ({ text: o.definition, correct: false }))],
      explanation: `${capitalised(term.term)}: ${term.definition}`,
      section,
    });
  }
  for (const term of chapter.terms) {
    const section = sectionOfTerm(term.term, chapter.sections);
    drafts.push({
      prompt: `Which term matches this definition? ${term.definition}`,
      options: [{ text: term.term, correct: true }, ...others(term).map((o) => ({ text: o.term, correct: false }))],
      explanation: `The definition is that of "${term.term}", taught in this chapter's section on it.`,
      section,
    });
  }
  return validPractice(drafts, chapter.quizPrompts).slice(0, count);
}

/** Each section's opening sentences under its heading; key points are the chapter's terms (or its headings). */
export function rulesSummary(chapter: StudyChapter): ChapterSummary {
  const parts = chapter.sections
    .map((s) => ({ heading: s.heading, text: openingSentences(s.body, 2) }))
    .filter((p) => p.text !== '')
    .map((p) => `### ${p.heading}\n\n${p.text}`);
  const fromTerms = chapter.terms.map((t) => `${capitalised(t.term)}: ${openingSentences(t.definition, 1)}`);
  const headings = chapter.sections.map((s) => s.heading);
  const keyPoints = fromTerms.length >= 3 ? fromTerms : [...fromTerms, ...headings];
  return { summary_markdown: `## ${chapter.title}\n\n${parts.join('\n\n')}`, key_points: keyPoints.slice(0, 8) };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
