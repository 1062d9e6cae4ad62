import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { testConfig } from './testing/config.js';

/** Sends raw bytes, as a broken or hostile client would (no URL normalisation), and returns the whole response. */
function rawResponse(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('end', () => resolve(data));
    // The server may reset the socket right after answering (e.g. 431 on huge headers).
    socket.on('error', (error) => (data ? resolve(data) : reject(error)));
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.end(payload);
  });
}

/** The status line of a raw request's response. */
async function rawRequest(port: number, payload: string): Promise<string> {
  return (await rawResponse(port, payload)).split('\r\n')[0] ?? '';
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

  it('a percent-encoded path is routed like its decoded form: POST /heal%74h → 405 as GET /heal%74h → 200', async () => {
    const get = await rawResponse(port, 'GET /heal%74h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(get.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 200/);
    const post = await rawResponse(port, 'POST /heal%74h HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(post.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 405/);
    expect(post).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    expect(JSON.parse(post.slice(post.indexOf('\r\n\r\n') + 4))).toEqual({
      statusCode: 405,
      error: 'Method Not Allowed',
      message: 'POST is not allowed on /health',
    });
  });

  it('wildcard routes get the 405 too: POST on a Swagger UI static file', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/docs/static/index.css`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`http://127.0.0.1:${port}/docs/static/index.css`)).status).toBe(200);
  });

  it('the 405 is sent before the body is read: a body of an unsupported type still gets 405', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/live`, { method: 'PUT', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
    expect(res.status).toBe(405);
  });

  it('a refused static file (403) is a JSON error with the standard reason phrase, like every other error', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/docs/static/%00`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Forbidden' });
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
