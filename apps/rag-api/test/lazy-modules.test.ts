import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { HEALTH_PATHS, STARTUP_LINE } from '@llmops-rag/contract';
import { FASTIFY_LAZY_MODULES, LAZY_MODULE_CHANNEL, lazyModules } from '../esbuild.config.js';
import { startBundle, waitForOutput } from './support/bundle-process.js';
import { bundledFastify } from './support/fastify-bundle.js';

/*
 * The bundle defers Ajv (request validation, and response serialization's anyOf/oneOf/if) and semver
 * (plugin version checks) until a route or plugin needs them (esbuild.config.ts lazyModules): start-up loads neither.
 */
describe('lazy Ajv and semver for Fastify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rag-api-lazy-modules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a Fastify bundled with them loads each on first need and still validates, serializes anyOf and checks plugin versions', async () => {
    const make = await bundledFastify<FastifyInstance>(dir, [lazyModules(FASTIFY_LAZY_MODULES)]);
    const loaded: string[] = [];
    const onLoad = (message: unknown) => loaded.push((message as { path: string }).path.replace(/.*node_modules[\\/]/, ''));
    subscribe(LAZY_MODULE_CHANNEL, onLoad);
    const apps: FastifyInstance[] = [];
    try {
      // Like the app's start-up: plain routes with a response schema, a plugin without version metadata.
      const plain = make({});
      apps.push(plain);
      await plain.register(async (app) => {
        app.get('/plain', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true, extra: 1 }));
      });
      expect((await plain.inject('/plain')).json()).toEqual({ ok: true });
      expect(loaded).toEqual([]);

      // A body schema: Ajv (through @fastify/ajv-compiler) loads and validates.
      const validating = make({});
      apps.push(validating);
      validating.post(
        '/echo',
        { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } },
        async (request) => request.body,
      );
      const rejected = await validating.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
      expect(rejected.statusCode).toBe(400);
      expect(rejected.json().message).toBe('body/n must be integer');
      expect((await validating.inject({ method: 'POST', url: '/echo', payload: { n: 2 } })).json()).toEqual({ n: 2 });
      expect(loaded.some((path) => path.endsWith('lib/validator-compiler.js'))).toBe(true);

      // A response schema with anyOf: fast-json-stringify's Ajv-backed validator loads and picks the branch.
      const anyOf = make({});
      apps.push(anyOf);
      const branches = {
        anyOf: [
          { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
          { type: 'object', properties: { b: { type: 'number' } } },
        ],
      };
      anyOf.get('/any', { schema: { response: { 200: branches } } }, async () => ({ b: 3, dropped: true }));
      expect((await anyOf.inject('/any')).json()).toEqual({ b: 3 });
      expect(loaded.some((path) => path.endsWith('fast-json-stringify/lib/validator.js'))).toBe(true);

      // A plugin declaring the Fastify versions it supports: semver loads and refuses a mismatch.
      const versioned = make({});
      apps.push(versioned);
      const old: FastifyPluginAsync = async () => {};
      Object.assign(old, { [Symbol.for('plugin-meta')]: { name: 'old-plugin', fastify: '4.x' } });
      await expect(versioned.register(old).ready()).rejects.toMatchObject({ code: 'FST_ERR_PLUGIN_VERSION_MISMATCH' });
      expect(loaded.some((path) => path.startsWith('semver'))).toBe(true);
    } finally {
      unsubscribe(LAZY_MODULE_CHANNEL, onLoad);
      await Promise.allSettled(apps.map((app) => app.close()));
    }
  });

  it('the built bundle serves /health/ready without loading Ajv or semver, and loads semver for the first /docs', async () => {
    // Reports every lazy module the bundle has loaded once the app serves (the bundle publishes each load).
    const probe = `data:text/javascript,${encodeURIComponent(
      [
        "import { subscribe } from 'node:diagnostics_channel';",
        'const loaded = [];',
        `subscribe(${JSON.stringify(LAZY_MODULE_CHANNEL)}, ({ path }) => loaded.push(path));`,
        "process.on('SIGUSR2', () => process.stderr.write('LAZY ' + JSON.stringify(loaded) + '\\n'));",
      ].join('\n'),
    )}`;
    const proc = await startBundle({ NODE_OPTIONS: `--import=${probe}`, LOG_LEVEL: 'info' });
    try {
      await waitForOutput(proc, STARTUP_LINE);
      expect((await fetch(`${proc.baseUrl}${HEALTH_PATHS.ready}`)).status).toBe(200);
      expect((await fetch(`${proc.baseUrl}${HEALTH_PATHS.live}`)).status).toBe(200);
      proc.child.kill('SIGUSR2');
      await waitForOutput(proc, 'LAZY ');
      expect(JSON.parse(/LAZY (.*)/.exec(proc.output())?.[1] ?? 'null')).toEqual([]);

      // The handles are in the bundle: the docs plugins (loaded on the first /docs) declare their Fastify versions, so semver loads then.
      expect((await fetch(`${proc.baseUrl}/docs/json`)).status).toBe(200);
      proc.child.kill('SIGUSR2');
      await waitForOutput(proc, 'semver');
      const reports = [...proc.output().matchAll(/LAZY (.*)/g)].map((match) => JSON.parse(match[1] ?? 'null') as string[]);
      expect(reports.at(-1)?.some((path) => /node_modules[\\/]semver[\\/]/.test(path))).toBe(true);
    } finally {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  });
});
