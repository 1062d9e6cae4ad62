import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { APP_NAME, APP_VERSION } from '@llmops-rag/contract';
import { buildApp } from './app.js';
import { lazyChildLogger } from './request-logger.js';
import { testConfig } from './testing/config.js';

/** JSON log lines written by the app's real pino logger. */
function captureLogs(): { lines: () => Record<string, unknown>[]; stream: { write(line: string): void } } {
  const raw: string[] = [];
  return { stream: { write: (line) => void raw.push(line) }, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('request.log: a pino child only for requests that log', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await app?.close();
  });

  it('at info, serving a request creates no child logger (the per-request cost over plain Fastify)', async () => {
    const logs = captureLogs();
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { logStream: logs.stream });
    const child = vi.spyOn(app.log, 'child');
    for (const url of ['/health/live', '/health/ready', '/', '/no/such/route']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBeLessThan(500);
    }
    expect(child).not.toHaveBeenCalled();
  });

  it('at debug, each request is one line with its own reqId and service/version/env, still without a child logger per request', async () => {
    const logs = captureLogs();
    app = await buildApp(testConfig({ LOG_LEVEL: 'debug' }), { logStream: logs.stream });
    const child = vi.spyOn(app.log, 'child');
    await app.inject({ method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: '/health/ready' });
    const completed = logs.lines().filter((line) => line.msg === 'request completed');
    expect(completed.map((line) => [line.url, line.reqId])).toEqual([
      ['/health/live', expect.any(String)],
      ['/health/ready', expect.any(String)],
    ]);
    expect(completed[0]?.reqId).not.toBe(completed[1]?.reqId);
    expect(completed[0]).toMatchObject({ level: 'debug', service: APP_NAME, version: APP_VERSION, env: 'dev', statusCode: 200 });
    expect(child).not.toHaveBeenCalled();
  });

  it('the lazy child keeps the logger API: level, disabled levels, child, and the reqId on every line', async () => {
    const logs = captureLogs();
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { logStream: logs.stream });
    const child = vi.spyOn(app.log, 'child');
    const log = lazyChildLogger(app.log, { reqId: 'req-x' }, {});
    expect(log.level).toBe('info');
    log.debug('below the level');
    expect(child).not.toHaveBeenCalled();
    log.info({ n: 1 }, 'first line');
    log.warn('second line');
    expect(child).toHaveBeenCalledTimes(1); // made once, on the first enabled line
    log.child({ step: 'inner' }).warn('from a grandchild');
    log.level = 'debug';
    log.debug('now enabled');
    expect(
      logs
        .lines()
        .filter((line) => line.reqId === 'req-x')
        .map((line) => [line.level, line.msg, line.n ?? line.step ?? null]),
    ).toEqual([
      ['info', 'first line', 1],
      ['warn', 'second line', null],
      ['warn', 'from a grandchild', 'inner'],
      ['debug', 'now enabled', null],
    ]);
  });
});
