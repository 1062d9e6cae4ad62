import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazySerializers } from './lazy-serializers.js';

/*
 * lazySerializers() in a real Fastify instance. The factory it wraps is
 * Fastify's own (SerializerSelector), with a counter in front that records
 * each route serializer compiled: `<method> <url> <status>`.
 */
function countingSerializers(): { factory: SerializerFactory; compiled: string[] } {
  const compiled: string[] = [];
  const real = SerializerSelector();
  const factory: SerializerFactory = (externalSchemas, options) => {
    const compile = real(externalSchemas, options);
    return (route) => {
      compiled.push(`${route.method} ${route.url} ${route.httpStatus}`);
      return compile(route);
    };
  };
  return { factory, compiled };
}

/** A shared schema (referenced by $ref) and a serializer option, both of which must reach the wrapped factory. */
const serializerOpts = { rounding: 'ceil' } as const;
const item = {
  type: 'object',
  properties: { keep: { type: 'string' }, count: { type: 'integer' }, owner: { $ref: 'owner#' } },
} as const;

/** Two routes with response schemas; their handlers return a field (`dropped`) the schema leaves out. */
async function appWith(options: FastifyServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, serializerOpts, ...options });
  app.addSchema({ $id: 'owner', type: 'object', properties: { id: { type: 'string' } } });
  app.get('/item', { schema: { response: { 200: item, 404: item } } }, async () => ({
    keep: 'kept "quoted" \u2028',
    count: 7.2,
    owner: { id: 'o-1', secret: 'dropped too' },
    dropped: 'not in the schema',
  }));
  app.get('/other', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true, dropped: 1 }));
  await app.ready();
  return app;
}

describe('lazySerializers: each response serializer compiled at its first response', () => {
  const apps: FastifyInstance[] = [];
  const start = async (options: FastifyServerOptions) => {
    const app = await appWith(options);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('compiles nothing at registration or ready (Fastify alone compiles every route, status and HEAD twin there)', async () => {
    const eager = countingSerializers();
    await start({ schemaController: { compilersFactory: { buildSerializer: eager.factory } } });
    expect(eager.compiled).toEqual(expect.arrayContaining(['GET /item 200', 'GET /item 404', 'HEAD /item 200', 'GET /other 200']));

    const lazy = countingSerializers();
    await start({ schemaController: { compilersFactory: { buildSerializer: lazySerializers(lazy.factory) } } });
    expect(lazy.compiled).toEqual([]);
  });

  it("a route's first response compiles that route's serializer, once; another route's first response compiles its own", async () => {
    const lazy = countingSerializers();
    const app = await start({ schemaController: { compilersFactory: { buildSerializer: lazySerializers(lazy.factory) } } });

    expect((await app.inject({ method: 'GET', url: '/item' })).statusCode).toBe(200);
    expect(lazy.compiled).toEqual(['GET /item 200']);
    expect((await app.inject({ method: 'GET', url: '/item' })).statusCode).toBe(200);
    expect(lazy.compiled).toEqual(['GET /item 200']);

    expect((await app.inject({ method: 'GET', url: '/other' })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/other' });
    expect(lazy.compiled).toEqual(['GET /item 200', 'GET /other 200']);
  });

  it("answers byte for byte what Fastify's default serializer answers: dropped fields, shared $ref schemas, serializerOpts", async () => {
    const lazyApp = await start({ schemaController: { compilersFactory: { buildSerializer: lazySerializers() } } });
    const defaultApp = await start({});
    for (const url of ['/item', '/other']) {
      const lazy = await lazyApp.inject({ method: 'GET', url });
      const usual = await defaultApp.inject({ method: 'GET', url });
      expect(lazy.body, url).toBe(usual.body);
      expect(lazy.headers['content-type'], url).toBe(usual.headers['content-type']);
      expect(lazy.headers['content-length'], url).toBe(usual.headers['content-length']);
    }
    // What both said: the schema's fields only (none of `dropped`, `secret`), the count rounded up (serializerOpts).
    expect((await lazyApp.inject({ method: 'GET', url: '/item' })).body).toBe('{"keep":"kept \\"quoted\\" \u2028","count":8,"owner":{"id":"o-1"}}');
    expect((await lazyApp.inject({ method: 'GET', url: '/other' })).body).toBe('{"ok":true}');
  });
});
