import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { loadConfig } from '../../src/config/config.loader.js';
import { AppConfigModule } from '../../src/config/app-config.module.js';
import { CoreModule } from '../../src/core/core.module.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { RedisModule } from '../../src/common/redis/redis.module.js';
import { ThrottlingModule } from '../../src/common/throttling/throttling.module.js';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import type { LlmClient } from '../../src/llm/llm-client.port.js';
import { LLM_CLIENT } from '../../src/llm/llm.tokens.js';
import { LlmModule } from '../../src/llm/llm.module.js';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { callTool, connectMcp, mcpUrl } from '../support/mcp-client.js';
import { DEMO, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The promise the free tier rests on: with a real LLM configured (the fake Anthropic server,
 * reached through the real SDK), every v1 route works and not one request reaches the model, and
 * no LLM client is constructed beyond the boot's credentials check.
 */
describe('phase isolation at run time', () => {
  let fake: FakeAnthropicServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('serves every v1 route to free and premium students with zero LLM requests and zero LLM clients', async () => {
    const gateway = t.app.get(LlmGateway);
    expect(gateway.provider).toBe('anthropic');
    // The LLM module's own credentials check at boot (the free models list) makes the one client.
    const atBoot = gateway.stats().clientsCreated;
    expect(atBoot).toBeLessThanOrEqual(1);
    await t.http.get('/api/v1/health').expect(200);
    await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'isolation@example.com', password: 'longenough1', full_name: 'Iso Lation' })
      .expect(201);

    for (const account of [DEMO.free, DEMO.premium, { email: 'isolation@example.com', password: 'longenough1' }]) {
      const auth = await t.login(account.email, account.password);
      await t.http.get('/api/v1/auth/me').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/chapters').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/chapters/01-intro').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/quizzes/01-intro-quiz').set('authorization', auth).expect(200);
      await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send({ answers: { q1: 'a', q2: 'b' } }).expect(200);
      await t.http.get('/api/v1/progress').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/progress/quiz-history').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/glossary').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/glossary?q=retrieval').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/glossary/RAG').set('authorization', auth).expect(200);
      await t.http.get('/api/v1/glossary/blockchain').set('authorization', auth).expect(404);
    }

    expect(fake.requests).toHaveLength(0);
    expect(gateway.stats().clientsCreated).toBe(atBoot);
  });

  it('serves every free MCP tool and the chapter resources with zero LLM requests and zero LLM clients', async () => {
    const gateway = t.app.get(LlmGateway);
    const atStart = gateway.stats().clientsCreated;
    const url = await mcpUrl(t);
    for (const account of [DEMO.free, DEMO.premium]) {
      const client = await connectMcp(url, await t.login(account.email, account.password));
      try {
        const { tools } = await client.listTools();
        const free = tools.filter((tool) => !tool.title?.includes('(premium)')).map((tool) => tool.name);
        expect(free).toEqual(['list_chapters', 'read_chapter', 'get_quiz', 'submit_quiz', 'get_progress', 'lookup_term']);
        for (const [name, args] of [
          ['list_chapters', {}],
          ['read_chapter', { chapter_id: '01-intro' }],
          ['get_quiz', { quiz_id: '01-intro-quiz' }],
          ['submit_quiz', { quiz_id: '01-intro-quiz', answers: { q1: 'a', q2: 'b' } }],
          ['get_progress', {}],
          ['lookup_term', { q: 'embedding' }],
        ] as const) {
          expect([name, (await callTool(client, name, args)).isError]).toEqual([name, undefined]);
        }
        await client.listResources();
        await client.readResource({ uri: 'course://chapters/02-prompting' });
      } finally {
        await client.close();
      }
    }
    expect(fake.requests).toHaveLength(0);
    expect(gateway.stats().clientsCreated).toBe(atStart);
  });

  it('would notice an LLM call: the same counters move when the port is used', async () => {
    const client = t.app.get<LlmClient>(LLM_CLIENT);
    const before = fake.requests.length;
    const result = await client.complete(
      { feature: 'adaptive_paths', system: ['Answer with a greeting.'], input: 'hello', schema: z.object({ greeting: z.string() }), maxTokens: 100 },
      { studentId: null },
    );
    expect(result.source).toBe('llm');
    expect(fake.requests.length).toBe(before + 1);
    expect(t.app.get(LlmGateway).stats().clientsCreated).toBe(1);
  });
});

describe('dependency injection keeps Core away from the LLM client', () => {
  const config = () =>
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET_KEY: TEST_JWT_SECRET, ANTHROPIC_API_KEY: 'test-key' });
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  // The global infrastructure every feature module may rely on: config, database, stores, limits.
  const base = () => [AppConfigModule.forRoot(config()), DatabaseModule.forRoot(db.url), RedisModule, ThrottlingModule];

  it('CoreModule compiled alone cannot resolve the LLM client token', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [...base(), CoreModule] }).compile();
    try {
      expect(() => moduleRef.get(LLM_CLIENT, { strict: false })).toThrow();
    } finally {
      await moduleRef.close();
    }
  });

  it('a provider that asks for the LLM client without importing LlmModule fails to boot', async () => {
    @Injectable()
    class Sneaky {
      constructor(@Inject(LLM_CLIENT) readonly llm: LlmClient) {}
    }
    @Module({ imports: [CoreModule], providers: [Sneaky] })
    class SneakyModule {}
    await expect(
      Test.createTestingModule({ imports: [...base(), LlmModule, SneakyModule] }).compile(),
    ).rejects.toThrow(/LLM_CLIENT/);
  });

  it('the control: a module that imports LlmModule does resolve it', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [...base(), LlmModule] }).compile();
    try {
      expect(moduleRef.get(LLM_CLIENT)).toBeInstanceOf(LlmGateway);
    } finally {
      await moduleRef.close();
    }
  });
});
