/**
 * The dev loop's live-update supervisor: runs in the app container only in what `dev` deploys (the dev-loop overlay
 * delivers it in a ConfigMap and starts it with the image's own node: `node /dev-loop/supervisor/supervisor.js`), never
 * in the image or the synthesized manifests. Node builtins only (the image is distroless: no shell, no tar).
 *
 * It runs the app as its child (`node <dir>/main.js`, the image's /app at first) with the container's environment,
 * passes SIGTERM on (the app drains, then exits, and so does the supervisor with its code), and exits with the app's
 * code when the app dies on its own, so the kubelet restarts the container as it would the plain image.
 *
 * On 127.0.0.1:<sync port> (reachable only through the API server's port-forward, not from other pods):
 *   GET /files          → { generation, dir, files: { path: sha256 } } of the bundle the app runs from
 *   PUT /files          ← gzip'd JSON { files: { path: base64 } }: the changed files. They are written over a copy of
 *                         the running bundle in a new folder of the writable emptyDir, the app is stopped (SIGKILL: a
 *                         dev restart does not wait for the drain) and started from there, and the answer waits for
 *                         its readiness endpoint: 200 { generation, restartMs, readyMs }, or 422 { error, output }
 *                         with the app's last stderr lines after it went back to the previous bundle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

export interface SupervisorConfig {
  /** The bundle in the image (read-only): `/app`. */
  imageApp: string;
  /** The writable emptyDir the new bundles go to: `/dev-loop/app`. */
  liveDir: string;
  syncPort: number;
  /** The app's port and readiness path, polled after a restart. */
  appPort: number;
  readyPath: string;
  readyTimeoutMs: number;
}

export function parseSupervisorArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SupervisorConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'image-app': { type: 'string', default: '/app' },
      'live-dir': { type: 'string', default: '/dev-loop/app' },
      'sync-port': { type: 'string', default: '8099' },
      'ready-path': { type: 'string', default: '/health/ready' },
      'ready-timeout-ms': { type: 'string', default: '30000' },
    },
  });
  return {
    imageApp: values['image-app'],
    liveDir: values['live-dir'],
    syncPort: Number(values['sync-port']),
    appPort: Number(env.PORT ?? 8000),
    readyPath: values['ready-path'],
    readyTimeoutMs: Number(values['ready-timeout-ms']),
  };
}

/** Every regular file under `dir`, as `relative path → sha256`. */
export function hashFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files[relative(dir, path).split(sep).join('/')] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return files;
}

const log = (line: string) => process.stderr.write(`[dev-loop supervisor] ${line}\n`);

export function supervise(config: SupervisorConfig): { close(): Promise<void> } {
  const pointer = join(config.liveDir, 'current');
  const pointed = existsSync(pointer) ? readFileSync(pointer, 'utf8').trim() : '';
  // After a container restart the emptyDir still holds the last bundle that became ready: keep running that code.
  let dir = pointed && existsSync(join(pointed, 'main.js')) ? pointed : config.imageApp;
  let generation = dir === config.imageApp ? 0 : Number(/gen-(\d+)$/.exec(dir)?.[1] ?? 0);
  let child: ChildProcess | undefined;
  let expectedExit = false;
  let stopping = false;
  let busy = false;
  let stderrTail: string[] = [];
  /** The app started from a new bundle until it answered: dying then fails the update, not the container. */
  let trial: ChildProcess | undefined;

  const start = (from: string) => {
    expectedExit = false;
    stderrTail = [];
    const started = spawn(process.execPath, [join(from, 'main.js')], { cwd: from, env: process.env, stdio: ['ignore', 'inherit', 'pipe'] });
    started.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = [...stderrTail, ...chunk.toString().split('\n').filter(Boolean)].slice(-20);
    });
    started.on('exit', (code, signal) => {
      if (child !== started) return;
      if (stopping) process.exit(code ?? (signal === 'SIGTERM' ? 0 : 1));
      if (!expectedExit && trial !== started) {
        log(`the app exited on its own (${signal ?? `code ${code}`}): exiting too, so the kubelet restarts the container`);
        process.exit(code ?? 1);
      }
    });
    child = started;
    return started;
  };
  const stop = (running: ChildProcess | undefined) =>
    new Promise<void>((done) => {
      if (!running || running.exitCode !== null || running.signalCode !== null) return done();
      expectedExit = true;
      running.once('exit', () => done());
      running.kill('SIGKILL');
    });
  const ready = async (running: ChildProcess): Promise<boolean> => {
    const deadline = Date.now() + config.readyTimeoutMs;
    while (Date.now() < deadline && running.exitCode === null && running.signalCode === null) {
      const status = await new Promise<number>((done) => {
        const req = request({ host: '127.0.0.1', port: config.appPort, path: config.readyPath, timeout: 1000 }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => done(0));
        req.end();
      });
      if (status >= 200 && status < 400) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  };

  const update = async (files: Record<string, string>): Promise<{ status: number; body: unknown }> => {
    const startedAt = Date.now();
    const next = join(config.liveDir, `gen-${generation + 1}`);
    rmSync(next, { recursive: true, force: true });
    mkdirSync(config.liveDir, { recursive: true });
    cpSync(dir, next, { recursive: true });
    // The image's V8 code cache is for the image's bundle: a changed bundle compiles as usual.
    rmSync(join(next, 'app-bundle.js.cache'), { force: true });
    for (const [path, base64] of Object.entries(files)) {
      const target = resolve(next, path);
      if (!target.startsWith(next + sep)) return { status: 400, body: { error: `${path} is outside the bundle` } };
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, Buffer.from(base64, 'base64'));
    }
    const previous = dir;
    await stop(child);
    const restartedAt = Date.now();
    const started = start(next);
    trial = started;
    const answered = await ready(started);
    trial = undefined;
    if (answered) {
      dir = next;
      generation += 1;
      writeFileSync(`${pointer}.tmp`, next);
      renameSync(`${pointer}.tmp`, pointer);
      if (previous !== config.imageApp) rmSync(previous, { recursive: true, force: true });
      log(`generation ${generation}: ${Object.keys(files).length} file(s) changed, app ready ${Date.now() - restartedAt} ms after the restart`);
      return { status: 200, body: { generation, restartMs: restartedAt - startedAt, readyMs: Date.now() - restartedAt } };
    }
    const output = stderrTail;
    log(`the new bundle did not become ready: back to generation ${generation}`);
    await stop(child);
    start(previous);
    rmSync(next, { recursive: true, force: true });
    await ready(child as ChildProcess);
    return { status: 422, body: { error: `the app did not answer ${config.readyPath} within ${config.readyTimeoutMs} ms, or exited`, output } };
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((done, fail) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => done(Buffer.concat(chunks)));
      req.on('error', fail);
    });
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url !== '/files') return reply(res, 404, { error: 'not found' });
      if (req.method === 'GET') return reply(res, 200, { generation, dir, files: hashFiles(dir) });
      if (req.method !== 'PUT') return reply(res, 405, { error: 'GET or PUT' });
      if (busy) return reply(res, 409, { error: 'an update is running' });
      busy = true;
      try {
        const { files } = JSON.parse(gunzipSync(await readBody(req)).toString()) as { files: Record<string, string> };
        const result = await update(files);
        reply(res, result.status, result.body);
      } catch (error) {
        reply(res, 500, { error: error instanceof Error ? error.message : String(error) });
      } finally {
        busy = false;
      }
    })();
  });
  server.listen(config.syncPort, '127.0.0.1');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      server.close();
      if (!child || child.exitCode !== null) process.exit(0);
      child.kill(signal);
    });
  }
  start(dir);
  log(`running ${join(dir, 'main.js')} (generation ${generation}); live updates on 127.0.0.1:${config.syncPort}`);
  return {
    close: async () => {
      server.close();
      stopping = false;
      await stop(child);
    },
  };
}
