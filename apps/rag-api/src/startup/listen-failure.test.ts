import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenProblem } from './listen-failure.js';

/** The error a real listen gives, from Node itself. */
function listenError(port: number, host: string): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', resolve);
    server.listen(port, host, () => server.close(() => reject(new Error(`listening on ${host}:${port} worked`))));
  });
}

/** Shaped like Node's errno errors, for codes this machine cannot be made to return. */
function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
}

describe('listenProblem: a failed listen as a problem with HOST or PORT', () => {
  it('a real EADDRNOTAVAIL from Node names HOST', async () => {
    const problem = listenProblem(await listenError(8000, '192.0.2.1'), { host: '192.0.2.1', port: 8000 });
    expect(problem).toEqual({
      key: 'HOST',
      reason: '"192.0.2.1" is not an address of this machine (EADDRNOTAVAIL)',
      hint: 'use 0.0.0.0 (every interface), 127.0.0.1, or an address this machine has (ip addr)',
    });
  });

  it.each([
    ['EAI_AGAIN', 'getaddrinfo', 'HOST', '"db.internal" could not be resolved: DNS did not answer (EAI_AGAIN)'],
    ['EAFNOSUPPORT', 'listen', 'HOST', '"db.internal" is of an address family this machine does not support (EAFNOSUPPORT)'],
    ['EACCES', 'listen', 'PORT', '8443 on db.internal may not be bound by this process (EACCES)'],
  ])('%s names the key', (code, syscall, key, reason) => {
    const problem = listenProblem(errnoError(code, syscall), { host: 'db.internal', port: 8443 });
    expect(problem?.key).toBe(key);
    expect(problem?.reason).toBe(reason);
    expect(problem?.hint.length).toBeGreaterThan(20);
  });

  it('an unknown listen error still names HOST and PORT with the system message', () => {
    const problem = listenProblem(errnoError('EINVAL', 'listen'), { host: '0.0.0.0', port: 8000 });
    expect(problem).toMatchObject({ key: 'HOST, PORT', reason: 'cannot listen on "0.0.0.0" port 8000: listen EINVAL' });
  });

  it('an error that is not about listening is left to the caller (a bug, reported with its trace)', () => {
    expect(listenProblem(new TypeError('x is not a function'), { host: '0.0.0.0', port: 8000 })).toBeUndefined();
    expect(listenProblem(errnoError('ENOENT', 'open'), { host: '0.0.0.0', port: 8000 })).toBeUndefined();
  });
});
