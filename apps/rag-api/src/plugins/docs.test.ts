import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { testConfig } from '../testing/config.js';

/** /docs is built on first use; these pin what the client sees through that indirection. */
describe('/docs, loaded on first use', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('the first requests, in parallel, all get the same document', async () => {
    app = await buildApp(testConfig());
    const answers = await Promise.all(Array.from({ length: 5 }, () => app!.inject({ method: 'GET', url: '/docs/json' })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]?.json().paths).toHaveProperty('/health/live');
  });

  it('HEAD answers the GET length with no body; static files keep their type and cache headers', async () => {
    app = await buildApp(testConfig());
    const get = await app.inject({ method: 'GET', url: '/docs/json' });
    const head = await app.inject({ method: 'HEAD', url: '/docs/json' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
    const css = await app.inject({ method: 'GET', url: '/docs/static/index.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.headers['cache-control']).toBeDefined();
  });

  it('unknown /docs paths are the JSON 404 of every other path', async () => {
    app = await buildApp(testConfig());
    const res = await app.inject({ method: 'GET', url: '/docs/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'No route for GET /docs/nope' });
  });

  it('the 405 routes and the /docs routes themselves are not in the document', async () => {
    app = await buildApp(testConfig());
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths).sort()).toEqual(['/', '/health', '/health/live', '/health/ready']);
    expect(Object.keys(doc.paths['/health/live'])).toEqual(['get']);
  });
});
