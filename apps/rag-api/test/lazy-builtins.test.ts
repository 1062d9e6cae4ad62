import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEALTH_PATHS, STARTUP_LINE } from '@llmops-rag/contract';
import { FASTIFY_SERVER, lazyBuiltins } from '../esbuild.config.js';
import { startBundle, waitForOutput } from './support/bundle-process.js';
import { bundledFastify } from './support/fastify-bundle.js';

/*
 * The bundle gives Fastify's server factory lazy handles for node:https and node:http2
 * (esbuild.config.ts): they load on first use instead of at start-up.
 */
describe('lazy node:https and node:http2 for Fastify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rag-api-lazy-builtins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a Fastify bundled with them still makes HTTP/2 and HTTPS servers when its options ask for them', async () => {
    const make = await bundledFastify<{ server: object; close(): Promise<void> }>(dir, [lazyBuiltins(FASTIFY_SERVER, ['node:https', 'node:http2'])]);
    const https = process.getBuiltinModule('node:https');

    const h2 = make({ http2: true });
    const tls = make({ https: {} });
    const plain = make({});
    try {
      expect(Object.getPrototypeOf(h2.server).constructor.name).toBe('Http2Server');
      expect(tls.server).toBeInstanceOf(https.Server);
      expect(plain.server).not.toBeInstanceOf(https.Server);
    } finally {
      await Promise.all([h2.close(), tls.close(), plain.close()]);
    }
  });

  it('the built bundle serves /health/ready without loading https, http2 or tls', async () => {
    // Reports the built-ins Node has loaded once the app serves (process.moduleLoadList, Node's own record).
    const probe = `data:text/javascript,${encodeURIComponent(
      "process.on('SIGUSR2', () => process.stderr.write('LOADED ' + JSON.stringify(process.moduleLoadList) + '\\n'));",
    )}`;
    const proc = await startBundle({ NODE_OPTIONS: `--import=${probe}`, LOG_LEVEL: 'info' });
    try {
      await waitForOutput(proc, STARTUP_LINE);
      expect((await fetch(`${proc.baseUrl}${HEALTH_PATHS.ready}`)).status).toBe(200);
      proc.child.kill('SIGUSR2');
      await waitForOutput(proc, 'LOADED ');
      const loaded = JSON.parse(/LOADED (.*)/.exec(proc.output())?.[1] ?? '[]') as string[];
      expect(loaded).toContain('NativeModule http');
      expect(loaded.filter((name) => /^NativeModule (https|http2|tls|_tls_wrap|internal\/http2\/core)$/.test(name))).toEqual([]);
    } finally {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  });
});
