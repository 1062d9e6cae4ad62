import { request } from 'node:http';
import { createServer } from 'node:net';
import { HEALTH_PATH, HEALTH_PATHS } from '@llmops-rag/contract';
import { loadAppBundle } from './startup/load-app-bundle.js';
import { stopOnSignalUntilServing } from './startup/stop-before-serving.js';

/*
 * `node prime-code-cache.js` (next to main.js; the image build runs it): starts
 * the app from app-bundle.js as main.js does, on 127.0.0.1 and a free port, sends
 * it the requests a pod answers first, then writes app-bundle.js.cache from
 * what that compiled (startup/code-cache.ts) and stops the app. Exit 0 only if
 * every request got its 200 and the cache was written.
 */

/** What a new pod is asked first: the probes, then the API's own paths. */
export const PRIMED_PATHS = [HEALTH_PATHS.ready, HEALTH_PATHS.live, HEALTH_PATH, '/'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .once('error', reject)
      .end();
  });
}

async function prime(): Promise<void> {
  const port = await freePort();
  Object.assign(process.env, { HOST: '127.0.0.1', PORT: String(port), SHUTDOWN_DRAIN_SECONDS: '0' });
  const startup = stopOnSignalUntilServing();
  const app = loadAppBundle();
  const address = await app.exports.start(startup);
  startup.release();
  if (address === undefined) {
    // start() refused (a configuration or listen problem) and has said why on stderr: there is no run to cache.
    process.stderr.write('prime-code-cache: failed: the app did not start (its reason is above), so there is nothing to cache\n');
    process.exitCode = 1;
    return;
  }
  for (const path of PRIMED_PATHS) {
    const status = await statusOf(`${address}${path}`);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}, not 200: the app did not start as a pod would`);
  }
  app.saveCodeCache();
  process.stdout.write(`prime-code-cache: ${app.cacheFile} written after a start and GET ${PRIMED_PATHS.join(', ')}\n`);
  process.kill(process.pid, 'SIGTERM'); // the app's own graceful shutdown (no drain): exit 0
}

prime().catch((error: unknown) => {
  process.stderr.write(`prime-code-cache: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
