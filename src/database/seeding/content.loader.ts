import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../common/paths/index.js';
import { glossaryKey } from '../../core/index.js';
import { chapterFileSchema, demoUsersSchema, type ChapterContent, type DemoUser } from './content.schema.js';

export const DEFAULT_SEEDS_DIR = (): string => join(projectRoot(), 'seeds');

/**
 * Reads and checks the course under `seeds/content/`: one `<chapter_id>.json` (metadata, quiz,
 * assessment questions) and one `<chapter_id>.md` (the teaching text) per chapter.
 */
export async function loadCourse(seedsDir = DEFAULT_SEEDS_DIR()): Promise<ChapterContent[]> {
  const dir = join(seedsDir, 'content');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const chapters = await Promise.all(
    files.map(async (file) => {
      const parsed = chapterFileSchema.safeParse(JSON.parse(await readFile(join(dir, file), 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`seeds/content/${file}: ${issue.path.join('.')} ${issue.message}`);
      }
      if (`${parsed.data.chapter_id}.json` !== file) throw new Error(`seeds/content/${file}: chapter_id must match the file name`);
      const content_markdown = await readFile(join(dir, `${parsed.data.chapter_id}.md`), 'utf8');
      return { ...parsed.data, content_markdown };
    }),
  );
  checkCourse(chapters);
  return chapters;
}

function checkCourse(chapters: ChapterContent[]): void {
  const order = new Map(chapters.map((c) => [c.chapter_id, c.order]));
  const seen = new Set<string>();
  for (const chapter of chapters) {
    for (const prerequisite of chapter.prerequisites) {
      const before = order.get(prerequisite);
      if (before === undefined || before >= chapter.order) {
        throw new Error(`seeds/content/${chapter.chapter_id}.json: prerequisite ${prerequisite} must be an earlier chapter`);
      }
    }
    for (const id of [chapter.quiz.quiz_id, ...chapter.assessment_questions.map((q) => q.question_id)]) {
      if (seen.has(id)) throw new Error(`seeds/content: id ${id} is used twice`);
      seen.add(id);
    }
  }
  if (new Set(order.values()).size !== chapters.length) throw new Error('seeds/content: chapter orders must be unique');
  checkGlossary(chapters);
}

/**
 * Every key term has exactly one definition, in a chapter that lists it; related terms exist; no
 * two terms or aliases look the same to a lookup (case, accents, hyphens).
 */
function checkGlossary(chapters: ChapterContent[]): void {
  const defined = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const chapter of chapters) {
    for (const entry of chapter.glossary) {
      const where = `seeds/content/${chapter.chapter_id}.json: glossary term ${entry.term}`;
      if (!chapter.key_terms.includes(entry.term)) throw new Error(`${where} is not a key term of the chapter`);
      if (defined.has(entry.term)) throw new Error(`${where} is already defined by ${defined.get(entry.term)}`);
      defined.set(entry.term, chapter.chapter_id);
      for (const name of [entry.term, ...entry.aliases]) {
        const key = glossaryKey(name);
        if (keys.has(key)) throw new Error(`${where}: "${name}" looks the same as "${keys.get(key)}" to a lookup`);
        keys.set(key, name);
      }
    }
  }
  for (const chapter of chapters) {
    for (const term of chapter.key_terms) {
      if (!defined.has(term)) throw new Error(`seeds/content/${chapter.chapter_id}.json: key term ${term} has no glossary definition`);
    }
    for (const entry of chapter.glossary) {
      for (const related of entry.related) {
        if (related === entry.term || !defined.has(related)) {
          throw new Error(`seeds/content/${chapter.chapter_id}.json: glossary term ${entry.term} relates to ${related}, which is not another glossary term`);
        }
      }
    }
  }
}

export async function loadDemoUsers(seedsDir = DEFAULT_SEEDS_DIR()): Promise<DemoUser[]> {
  return demoUsersSchema.parse(JSON.parse(await readFile(join(seedsDir, 'demo-users.json'), 'utf8')));
}
