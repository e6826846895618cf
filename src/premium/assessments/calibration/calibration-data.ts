/** The calibration file: one JSON object a line, each a human-scored student answer. */
import { z } from 'zod';

const criterionSchema = z.object({
  criterion_id: z.string().min(1),
  description: z.string(),
  max_score: z.number().nonnegative(),
  full_marks: z.string().optional(),
  partial_marks: z.string().optional(),
  key_concepts: z.array(z.object({ concept: z.string(), synonyms: z.array(z.string()) })),
});

const lineSchema = z.object({
  qid: z.string().min(1),
  question: z.string(),
  reference: z.string(),
  references: z.array(z.string()).optional(),
  answer: z.string(),
  score: z.number().nonnegative(),
  max_score: z.number().positive(),
  rubric: z.array(criterionSchema).min(1).optional(),
});

export type CalibrationLine = z.infer<typeof lineSchema>;

export class CalibrationInputError extends Error {}

/** Parses JSONL text; blank lines are skipped, anything else that is not a valid line is an error naming it. */
export function parseCalibrationLines(text: string, source = 'input'): CalibrationLine[] {
  const lines: CalibrationLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new CalibrationInputError(`${source}: line ${lineNo}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new CalibrationInputError(`${source}: line ${lineNo}: invalid record${where}: ${issue?.message ?? 'unknown problem'}`);
    }
    if (parsed.data.score > parsed.data.max_score) {
      throw new CalibrationInputError(`${source}: line ${lineNo}: score ${parsed.data.score} exceeds max_score ${parsed.data.max_score}`);
    }
    lines.push(parsed.data);
  });
  return lines;
}
