import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { cpuSeconds, rssMiB } from './proc.ts';

export interface ServerSpec {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  env?: Record<string, string>;
  /** Path whose first 200 means "ready" (rag-api: /health/ready). */
  readyPath: string;
}

export interface RunningServer {
  url: string;
  pid: number;
  /** Wall time from spawn to the first 200 on the ready path. */
  spawnToReadyMs: number;
  /** CPU the process spent to get there (all threads). */
  cpuToReadyMs: number;
  cpuSeconds(): number;
  rssMiB(): number;
  /** SIGKILL: nothing of the server's own shutdown is measured. */
  stop(): Promise<void>;
  /** SIGINT (again after 100 ms if it still runs: rag-api exits at once on a second), so Node writes its compile cache on exit. */
  interrupt(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One GET; resolves with the status, or 0 while nothing listens. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Starts `node <args>` pinned to `cpu` (taskset execs node, so the pid is
 * node's) on a free port and resolves at the first 200 on the ready path,
 * polled every 2 ms from the caller's core.
 */
export async function startServer(spec: ServerSpec, cpu: number): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn('taskset', ['-c', String(cpu), process.execPath, ...spec.args], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', ...spec.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: could not spawn taskset/node`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode} before answering`);
    if ((await statusOf(`${url}${spec.readyPath}`)) === 200) break;
    if (performance.now() - started > 20_000) throw new Error(`${spec.name}: ${spec.readyPath} not 200 within 20 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const spawnToReadyMs = performance.now() - started;
  const cpuToReadyMs = cpuSeconds(pid) * 1000;
  return {
    url,
    pid,
    spawnToReadyMs,
    cpuToReadyMs,
    cpuSeconds: () => cpuSeconds(pid),
    rssMiB: () => rssMiB(pid),
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    interrupt: async () => {
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 100));
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

/**
 * Bundles a baseline server (plain JavaScript, e.g. fastify-minimal-server.js) into `outDir/main.js` as
 * rag-api's bundle is made (apps/rag-api/esbuild.config.ts: one file with its dependencies inlined, whitespace,
 * syntax and identifiers minified; an ES module here, where rag-api is CommonJS only so that its V8 code cache
 * can be used, which a baseline does not have), so the framework's share of memory and start-up is measured
 * as shipped, not as hundreds of files read from node_modules. Returns the path of main.js.
 */
export async function bundleBaseline(entry: string, outDir: string, plugins: Plugin[] = []): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'main.js');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Bundled CommonJS code (Fastify) calls require() for Node's built-ins, as in rag-api's banner.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    logLevel: 'warning',
    plugins,
  });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return outfile;
}
