import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig } from './support/config.js';

/** Sends raw bytes, as a broken or hostile client would, and returns the status line. */
function rawRequest(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('end', () => resolve(data.split('\r\n')[0] ?? ''));
    // The server may reset the socket right after answering (e.g. 431 on huge headers).
    socket.on('error', (error) => (data ? resolve(data.split('\r\n')[0] ?? '') : reject(error)));
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.end(payload);
  });
}

describe('bad HTTP input gets a 4xx, never a crash (real socket)', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await buildApp(testConfig());
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(() => app.close());

  it('malformed URL encoding → 400', async () => {
    expect(await rawRequest(port, 'GET /health/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  });

  it('huge headers → 431', async () => {
    const big = 'a'.repeat(64 * 1024);
    expect(await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);
  });

  it('garbage request line → 400', async () => {
    expect(await rawRequest(port, '\u0000\u0001 garbage \r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  });

  it('wrong method → 405', async () => {
    expect(await rawRequest(port, 'PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 405/);
  });

  it('garbage JSON body → 4xx', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('still serves after all of the above', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(await res.json()).toEqual({ status: 'alive' });
  });
});
