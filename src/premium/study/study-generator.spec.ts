import type { LlmClient, LlmRequest, LlmResult } from '../../llm/index.js';
import type { StudyChapter } from './study-chapter.js';
import { StudyGenerator } from './study-generator.js';
import type { MaterialKey, StudyTool } from './study.js';

const chapter: StudyChapter = {
  chapter_id: 'ch',
  title: 'Vectors',
  content_version: 'v1',
  sections: [{ section_id: 'introduction', heading: 'Vectors', body: 'Vectors are lists of numbers.', key_terms: [] }],
  terms: ['alpha', 'beta', 'gamma', 'delta'].map((t) => ({ term: t, definition: `The ${t} idea.`, chapter_id: 'ch', aliases: [], related: [] })),
  otherTerms: [],
  quizPrompts: ['Which statement defines "alpha"?'],
};
const billing = { studentId: 's1', referenceId: 'm1', requestId: 'r1', variant: 'llm' };
const key = <K extends StudyTool>(tool: K, count: number, lane: MaterialKey['lane'] = 'llm') => ({ chapterId: 'ch', contentVersion: 'v1', tool, count, lane });

/** A model that answers `value` (source llm), and records what it was asked. */
function model(value: unknown, provider: LlmClient['provider'] = 'anthropic') {
  const asked: LlmRequest<unknown>[] = [];
  const client = {
    provider,
    complete: <T>(request: LlmRequest<T>) => {
      asked.push(request);
      return Promise.resolve({ value: request.schema.parse(value), source: 'llm', model: 'claude-sonnet-5-5' } as LlmResult<T>);
    },
  } as LlmClient;
  return { client, asked };
}

describe('StudyGenerator', () => {
  it('puts the rules variant, and a deployment without a model, in the rules lane', () => {
    expect(new StudyGenerator(model(null).client).laneFor('rules')).toBe('rules');
    expect(new StudyGenerator(model(null).client).laneFor('llm')).toBe('llm');
    expect(new StudyGenerator(model(null, 'rules').client).laneFor('llm')).toBe('rules');
  });

  it('never asks the model in the rules lane', async () => {
    const { client, asked } = model(null);
    const built = await new StudyGenerator(client).generate(chapter, key('flashcards', 5, 'rules'), billing);
    expect(built).toMatchObject({ source: 'rules', fellBack: false, model: null });
    expect(built.content.cards[0]).toEqual({ front: 'alpha', back: 'The alpha idea.', section: 'introduction' });
    expect(asked).toHaveLength(0);
  });

  it('serves the model’s questions when enough pass the checks, without the one copying the graded quiz', async () => {
    const q = (prompt: string) => ({ prompt, options: ['w', 'x', 'y', 'z'].map((t, i) => ({ text: t, correct: i === 2 })), explanation: 'E.', section: 'introduction' });
    const { client, asked } = model({ questions: [q('Which statement defines "alpha"?'), q('One?'), q('Two?'), q('Three?')] });
    const built = await new StudyGenerator(client).generate(chapter, key('practice_quiz', 3), billing);
    expect(built).toMatchObject({ source: 'llm', fellBack: false, model: 'claude-sonnet-5-5' });
    expect(built.content.questions.map((x) => x.prompt)).toEqual(['One?', 'Two?', 'Three?']);
    for (const x of built.content.questions) expect(x.options.find((o) => o.key === x.correct_answer)!.text).toBe('y');
    // The prompt carries course text only: no billing identity.
    expect(JSON.stringify([asked[0]!.system, asked[0]!.input])).not.toContain('s1');
    expect(asked[0]!.input).toContain('Which statement defines "alpha"?');
  });

  it('falls back on the rules when too few of the model’s questions pass', async () => {
    const two = { prompt: 'Two correct?', options: ['w', 'x', 'y', 'z'].map((t) => ({ text: t, correct: true })), explanation: 'E.', section: 'introduction' };
    const { client } = model({ questions: [two, { ...two, prompt: 'Again?' }, { ...two, prompt: 'Third?' }] });
    const built = await new StudyGenerator(client).generate(chapter, key('practice_quiz', 3), billing);
    expect(built).toMatchObject({ source: 'rules', fellBack: true, model: null });
    expect(built.content.questions[0]!.prompt).toBe('Which statement defines "beta"?');
  });
});
