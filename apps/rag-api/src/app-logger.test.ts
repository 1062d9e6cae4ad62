import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { APP_NAME } from '@llmops-rag/contract';
import { buildApp } from './app.js';
import { testConfig } from './testing/config.js';

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('the app brings its own pino; Fastify runs without a logger', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('at info, Fastify adds no listeners to a response (with a logger configured it adds them to every one)', async () => {
    const lines: string[] = [];
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { logStream: { write: (line) => void lines.push(line) } });
    const counts: { before: number; after: number }[] = [];
    // Around Fastify's own 'request' listener, which routes and serves synchronously up to the handler.
    app.server.prependListener('request', (_req, res) => counts.push({ before: res.listenerCount('finish') + res.listenerCount('error'), after: -1 }));
    app.server.on('request', (_req, res) => {
      const last = counts.at(-1);
      if (last) last.after = res.listenerCount('finish') + res.listenerCount('error');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    expect(await get(`http://127.0.0.1:${port}/health/live`)).toBe(200);
    expect(counts).toHaveLength(1);
    expect(counts[0]?.after).toBe(counts[0]?.before);

    // Fastify's own line still goes through the app's logger, with the service fields.
    const listening = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => String(line.msg).startsWith('Server listening at'));
    expect(listening).toMatchObject({ level: 'info', service: APP_NAME });
  });
});
