import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { APP_VERSION, HEALTH_PATHS, HEALTH_STATUS } from '@llmops-rag/contract';
import { buildApp } from '../app.js';
import { testConfig } from '../testing/config.js';

describe('rag-api routes (inject)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig());
  });
  afterAll(() => app.close());

  it('GET / returns the spec banner exactly', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toBe(`{"message":"Welcome to LLMOps RAG Pipeline","version":"${APP_VERSION}","docs":"/docs"}`);
  });

  it('GET /health returns healthy with an ISO-8601 timestamp of now', async () => {
    const before = Date.now();
    const res = await app.inject({ method: 'GET', url: '/health' });
    const body = res.json();
    expect(res.statusCode).toBe(200);
    expect(Object.keys(body)).toEqual(['status', 'timestamp']);
    expect(body.status).toBe('healthy');
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(body.timestamp)).toBeLessThanOrEqual(Date.now());
  });

  it('GET /health/live returns alive', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"status":"alive"}');
  });

  it('GET /health/ready returns ready with the api check', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"status":"ready","checks":{"api":"ok"}}');
  });

  it("serves the probes at libs/contract's paths with its statuses (what the Deployment's probes and the deploy's checks read)", async () => {
    expect((await app.inject({ method: 'GET', url: HEALTH_PATHS.live })).json()).toEqual({ status: HEALTH_STATUS.live });
    expect((await app.inject({ method: 'GET', url: HEALTH_PATHS.ready })).json()).toMatchObject({ status: HEALTH_STATUS.ready });
  });

  it('GET /health/ready is 503 naming the failing check when one fails', async () => {
    const failing = await buildApp(testConfig());
    failing.readiness.set('vector_store', 'failing');
    const res = await failing.inject({ method: 'GET', url: '/health/ready' });
    await failing.close();
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { api: 'ok', vector_store: 'failing' } });
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'No route for GET /no/such/route' });
  });

  it('a known path with the wrong method is a JSON 405 with Allow', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/health/live' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json().error).toBe('Method Not Allowed');
  });

  it('GET /docs/json is an OpenAPI document generated from the route schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json();
    expect(res.statusCode).toBe(200);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe(APP_VERSION);
    expect(Object.keys(doc.paths).sort()).toEqual(['/', '/health', '/health/live', '/health/ready']);
    expect(doc.paths['/health/ready'].get.responses).toHaveProperty('503');
    expect(doc.paths['/'].get.responses['200'].content['application/json'].schema.required).toEqual(['message', 'version', 'docs']);
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger-ui');
  });
});
