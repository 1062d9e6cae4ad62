import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLE, freePort } from './support/bundle-process.js';
import { spawnBundle } from './support/run-to-exit.js';

const HOOK = fileURLToPath(new URL('./support/signal-on-app-load.mjs', import.meta.url));
const STARTUP_LINE = (signal: string) => `rag-api: ${signal} while starting, before serving any request: stopped.\n`;

/*
 * Issue 10 item 10: a SIGTERM during start-up used to kill the process without
 * a word, because the handler was installed only once the app was built.
 * Now main.js is a small entry that installs the handler, then loads the app
 * from app-bundle.js (so V8 reads its megabyte after the handler exists).
 *
 * The signal is sent by a preloaded hook at a known point: when main.js starts
 * loading app-bundle.js (the `rag-api:load-app` diagnostics channel). Without
 * the handler at that point the signal would kill the process silently.
 * What remains unhandled is Node's own bootstrap, before any of our code runs.
 */
describe('a signal while the API is still starting (the built bundle as a process)', () => {
  it('main.js is a small entry, so the handler exists before the app is parsed', () => {
    expect(statSync(BUNDLE).size).toBeLessThan(16 * 1024);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s while the app loads: one line on stderr naming the signal, exit 0', async (signal) => {
    const proc = spawnBundle(
      {
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        SIGNAL_ON_LOAD_SIGNAL: signal,
      },
      { nodeArgs: ['--import', HOOK] },
    );
    const done = await proc.finished;
    const report = `code ${done.code}, signal ${done.signal}\nstdout:\n${done.stdout}\nstderr:\n${done.stderr}`;
    expect(done.stdout, report).toMatch(new RegExp(`^\\[test hook\\] ${signal} sent while loading /.+/app-bundle\\.js$`, 'm'));
    expect(done.signal, report).toBeNull();
    expect(done.code, report).toBe(0);
    expect(done.stderr, report).toBe(STARTUP_LINE(signal));
    expect(done.stdout, report).not.toContain('Application startup complete');
  });
});
