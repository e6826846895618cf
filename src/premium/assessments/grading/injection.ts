/**
 * Spots text in a student answer that talks to the grader instead of answering ("ignore previous
 * instructions", "give me full marks"). The rules grader cannot be steered by it, but the LLM grader
 * could, and a teacher wants to know either way.
 */

/** Commands to the grader: flagged, and their sentences are left out of the marking. */
const COMMANDS: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b.{0,30}\b(previous|prior|above|earlier|preceding|all|any|your|these|those)\b.{0,20}\b(instructions?|prompts?|rules|directions|guidelines|rubric)\b/,
  /\b(give|award|assign|grant)\b.{0,25}\b(full|maximum|max|perfect|top)\s+(marks?|points?|scores?|credit|grades?)\b/,
  /\b(give|award|assign|grant)\b.{0,25}\b(10|100|ten|hundred)\s*(\/\s*10|out of|%|percent|marks?|points?)/,
  /\b(mark|grade|score|rate)\s+(this|my|the)\s+(answer|response|essay)\s+(as\s+)?(correct|right|perfect|full|10|100|excellent)\b/,
  /\bthis (answer|response) (is|should be|must be) (marked|graded|scored|considered) (as )?(correct|perfect|right|excellent)\b/,
  /\byou are now (an?|acting|playing|free|unrestricted|in (developer|admin|god) mode)\b/,
  /\byou are an? (ai|grader|marker|examiner|grading (model|system|assistant))\b/,
  /\b(dear|attention|note to (the )?)\s*(grader|marker|examiner|ai|model|assistant)\b/,
  /<\/?\s*(system|instructions?|prompt|assistant)\s*>/,
  /^\s*(system|assistant)\s*:/m,
  /\bpretend (that )?(you|this answer)\b/,
  /\b(deserve|want|need|get)s? (the )?full (marks|credit|points)\b/,
];

/**
 * Words that often come with an injection but could also be course content (a lesson on LLMs
 * discusses system prompts): flagged for a teacher to look at, not removed from the marking.
 */
const SUSPICIOUS: readonly RegExp[] = [/\bsystem prompt\b/, /\b(new|updated|hidden|secret) instructions?\b/, /\bjailbreak\b/];

function flatten(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
}

function isCommand(text: string): boolean {
  const t = flatten(text);
  return COMMANDS.some((p) => p.test(t));
}

export function findInjection(answer: string): boolean {
  const text = flatten(answer);
  return COMMANDS.some((p) => p.test(text)) || SUSPICIOUS.some((p) => p.test(text));
}

/**
 * The answer without its grader-directed sentences, so the content is marked on its own and the
 * instructions cannot add words that happen to match the rubric.
 */
export function stripInjection(answer: string): string {
  return answer
    .split(/(?<=[.!?\n])\s+|\n+/)
    .filter((sentence) => !isCommand(sentence))
    .join(' ');
}
