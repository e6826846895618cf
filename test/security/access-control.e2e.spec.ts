import { randomUUID } from 'node:crypto';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { type Account, newStudent, quotaCounters } from '../support/security/accounts.js';
import { ADMIN_ROUTES, API_ROUTES, callRoute, NON_REST_ROUTES, PREMIUM_ROUTES, PROTECTED_ROUTES, routeName, type ApiRoute } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { expectApiError } from '../support/security/envelope.js';
import { hostileAuthorizations, validToken } from '../support/security/tokens.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let db: DataSource;
let free: Account;
let premium: Account;
let lapsed: Account;
let adminAuth: string;

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  [free, premium, lapsed] = await Promise.all([newStudent(t, 'free'), newStudent(t, 'premium'), newStudent(t, 'lapsed')]);
  adminAuth = await t.login(DEMO.admin.email, DEMO.admin.password);
});
afterAll(() => t.close());

/** Every route a controller of the app declares, as `GET /path/:param` (read from Nest's route metadata). */
function controllerRoutes(app: INestApplication): string[] {
  const routes: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prefix = Reflect.getMetadata(PATH_METADATA, metatype) as string;
      const prototype = metatype.prototype as Record<string, object>;
      for (const name of Object.getOwnPropertyNames(prototype).filter((n) => n !== 'constructor')) {
        const handler = prototype[name]!;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        routes.push(`${method} /${[prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`);
      }
    }
  }
  return routes;
}

const named = (routes: readonly ApiRoute[]) => routes.map((r) => [routeName(r), r] as const);
const outcome = (label: string, res: Response) => ({ label, status: res.status, code: (res.body as { error?: { code?: string } }).error?.code });

describe('401 UNAUTHORIZED on every protected route', () => {
  it.each(named(PROTECTED_ROUTES))('%s: no, expired, alg:none, foreign-key, tampered or malformed token', async (_name, route) => {
    // The forged tokens claim admin for a premium student, so any bypass would answer 2xx.
    const hostile = hostileAuthorizations(premium.id, premium.auth);
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const responses = await Promise.all(hostile.map((h) => callRoute(t, route, { auth: h.header })));
      expect(responses.map((res, i) => outcome(hostile[i]!.name, res))).toEqual(
        hostile.map((h) => ({ label: h.name, status: 401, code: 'UNAUTHORIZED' })),
      );
      responses.forEach((res, i) => {
        const error = expectApiError(res, 401, 'UNAUTHORIZED');
        if (hostile[i]!.message) expect(error.message).toBe(hostile[i]!.message);
      });
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it('a correctly signed token of an account that no longer exists is 401 on every protected route', async () => {
    // As /auth/me and the premium and admin guards already answer; a deleted account keeps no access.
    const gone = validToken(randomUUID());
    await expectNothingWritten(db, async () => {
      const responses = await Promise.all(PROTECTED_ROUTES.map((r) => callRoute(t, r, { auth: gone })));
      expect(responses.map((res, i) => outcome(routeName(PROTECTED_ROUTES[i]!), res))).toEqual(
        PROTECTED_ROUTES.map((r) => ({ label: routeName(r), status: 401, code: 'UNAUTHORIZED' })),
      );
      for (const res of responses) expectApiError(res, 401, 'UNAUTHORIZED');
    });
  });
});

describe('403 PREMIUM_REQUIRED on every premium route', () => {
  it.each(named(PREMIUM_ROUTES))('%s: free student, lapsed premium, free student whose token claims admin', async (_name, route) => {
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const callers = [
        { label: 'free', auth: free.auth, message: 'This feature is part of the premium plan' },
        { label: 'lapsed', auth: lapsed.auth, message: 'Your premium subscription has expired' },
        { label: 'free claiming admin', auth: validToken(free.id, { role: 'admin' }), message: 'This feature is part of the premium plan' },
      ];
      const responses = await Promise.all(callers.map((c) => callRoute(t, route, { auth: c.auth })));
      expect(responses.map((res, i) => outcome(callers[i]!.label, res))).toEqual(
        callers.map((c) => ({ label: c.label, status: 403, code: 'PREMIUM_REQUIRED' })),
      );
      responses.forEach((res, i) => {
        expect(expectApiError(res, 403, 'PREMIUM_REQUIRED')).toMatchObject({ message: callers[i]!.message, upgrade_url: t.config.UPGRADE_URL });
      });
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });
});

describe('403 FORBIDDEN on every admin route', () => {
  it.each(named(ADMIN_ROUTES))('%s: free, premium and lapsed students, and a student token claiming admin', async (_name, route) => {
    await expectNothingWritten(db, async () => {
      // The role is read from the database: a token that says admin (say, from before a demotion) grants nothing.
      const callers = [
        { label: 'free', auth: free.auth },
        { label: 'premium', auth: premium.auth },
        { label: 'lapsed', auth: lapsed.auth },
        { label: 'premium claiming admin', auth: validToken(premium.id, { role: 'admin' }) },
      ];
      const responses = await Promise.all(callers.map((c) => callRoute(t, route, { auth: c.auth })));
      expect(responses.map((res, i) => outcome(callers[i]!.label, res))).toEqual(
        callers.map((c) => ({ label: c.label, status: 403, code: 'FORBIDDEN' })),
      );
      for (const res of responses) expectApiError(res, 403, 'FORBIDDEN');
    });
  });
});

describe('the route table the suite is driven from', () => {
  it('has every route of the OpenAPI document, and nothing else', async () => {
    const doc = (await t.http.get('/docs/json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    expect(API_ROUTES.map(routeName).sort()).toEqual(documented);
  });

  it('with the non-REST routes, has every route the controllers declare, none of those in the document', async () => {
    const doc = (await t.http.get('/docs/json').expect(200)).body as { paths: Record<string, unknown> };
    for (const route of NON_REST_ROUTES) expect([routeName(route), route.path in doc.paths]).toEqual([routeName(route), false]);
    expect([...API_ROUTES, ...NON_REST_ROUTES].map(routeName).sort()).toEqual(controllerRoutes(t.app).sort());
  });

  it('answers each example to a caller with the right access (so the refusals above mean something)', async () => {
    const auth: Record<ApiRoute['access'], string | undefined> = { public: undefined, student: free.auth, premium: premium.auth, admin: adminAuth };
    let submission = '';
    let practice = '';
    const got: { route: string; status: number }[] = [];
    const routes = [...API_ROUTES, ...NON_REST_ROUTES];
    for (const route of routes) {
      const params: Record<string, string> | undefined = route.path.endsWith(':submission_id')
        ? { submission_id: submission }
        : route.path.includes(':practice_id')
          ? { practice_id: practice }
          : undefined;
      const res = await callRoute(t, route, { auth: auth[route.access], params });
      if (route.path === '/api/v2/assessments/submit') submission = (res.body as { submission_id: string }).submission_id;
      if (route.path === '/api/v2/study/practice-quiz') practice = (res.body as { practice_id: string }).practice_id;
      got.push({ route: routeName(route), status: res.status });
    }
    expect(got).toEqual(routes.map((r) => ({ route: routeName(r), status: r.ok })));
  });
});
