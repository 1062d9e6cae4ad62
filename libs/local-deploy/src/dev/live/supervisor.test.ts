import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { supervisorScript } from './supervisor-script.js';
import { syncBundle } from './sync-client.js';
import { freePorts } from '../../testing/live-pods.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A bundle like rag-api's: main.js serves GET / with `version`, and its readiness path; SIGTERM ends it with 0. */
const app = (version: string, extra = '') => `${extra}
const server = require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(req.url === '/health/ready' ? { status: 'ready' } : { version: ${JSON.stringify(version)}, pid: process.pid }));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { console.error('draining'); server.close(() => process.exit(0)); });
`;

function get(port: number): Promise<{ version?: string; pid?: number } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 1000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(JSON.parse(text) as { version: string }));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** The container as the overlay runs it: the image's bundle read-only in imageApp, an emptyDir, the supervisor as the program. */
async function container() {
  const root = mkdtempSync(join(tmpdir(), 'dev-loop-pod-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const imageApp = join(root, 'app');
  mkdirSync(imageApp);
  writeFileSync(join(imageApp, 'main.js'), app('image'));
  writeFileSync(join(imageApp, 'app-bundle.js.cache'), 'v8 cache of the image bundle');
  writeFileSync(join(root, 'supervisor.js'), await supervisorScript());
  const [appPort, syncPort] = (await freePorts(2)) as [number, number];
  const ports = { app: appPort, sync: syncPort };
  const output: string[] = [];
  let process_: ChildProcess | undefined;
  const start = () => {
    const child = spawn(
      process.execPath,
      [join(root, 'supervisor.js'), `--image-app=${imageApp}`, `--live-dir=${join(root, 'live')}`, `--sync-port=${ports.sync}`],
      {
        env: { PATH: process.env.PATH, PORT: String(ports.app) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr?.on('data', (c: Buffer) => output.push(...c.toString().split('\n').filter(Boolean)));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    process_ = child;
    cleanups.push(() => void child.kill('SIGKILL'));
    return exited;
  };
  const exited = start();
  return { root, ports, output, exited, start, process: () => process_ as ChildProcess };
}

describe('the live-update supervisor (a real node process, as the overlay runs it)', () => {
  it('runs the image bundle, restarts the app in place on a new bundle sent through its port, and only the changed files go', async () => {
    const pod = await container();
    const first = await until(() => get(pod.ports.app), 'the app from the image');
    expect(first.version).toBe('image');

    const local = join(pod.root, 'built');
    mkdirSync(local);
    writeFileSync(join(local, 'main.js'), app('save-1'));
    writeFileSync(join(local, 'main.js.map'), '{}');
    const synced = await syncBundle(pod.ports.sync, local);
    expect(synced).toMatchObject({ generation: 1, sent: ['main.js'] });
    const second = await get(pod.ports.app);
    expect(second?.version).toBe('save-1');
    expect(second?.pid).not.toBe(first.pid);
    expect(pod.output.join('\n')).toContain('generation 1: 1 file(s) changed, app ready');

    // Nothing changed: nothing is sent and the app keeps running.
    expect(await syncBundle(pod.ports.sync, local)).toMatchObject({ generation: 1, sent: [] });
    expect((await get(pod.ports.app))?.pid).toBe(second?.pid);
  });

  it('a bundle that does not start is refused with the app’s own error, and the previous one serves again', async () => {
    const pod = await container();
    await until(() => get(pod.ports.app), 'the app from the image');
    const local = join(pod.root, 'built');
    mkdirSync(local);
    writeFileSync(join(local, 'main.js'), "throw new Error('boom at start');\n");
    await expect(syncBundle(pod.ports.sync, local)).rejects.toThrow(/did not answer \/health\/ready[\s\S]*boom at start/);
    expect((await until(() => get(pod.ports.app), 'the image app again')).version).toBe('image');
  });

  it('passes SIGTERM to the app (it drains) and exits with its code; after a container restart it runs the last bundle that became ready', async () => {
    const pod = await container();
    await until(() => get(pod.ports.app), 'the app from the image');
    const local = join(pod.root, 'built');
    mkdirSync(local);
    writeFileSync(join(local, 'main.js'), app('save-1'));
    await syncBundle(pod.ports.sync, local);
    pod.process().kill('SIGTERM');
    expect(await pod.exited).toBe(0);
    expect(pod.output).toContain('draining');

    const restarted = pod.start();
    expect((await until(() => get(pod.ports.app), 'the restarted container')).version).toBe('save-1');
    pod.process().kill('SIGTERM');
    expect(await restarted).toBe(0);
  });

  it('exits with the app’s code when the app dies on its own, so the kubelet restarts the container', async () => {
    const pod = await container();
    const running = await until(() => get(pod.ports.app), 'the app from the image');
    process.kill(running.pid as number, 'SIGKILL');
    expect(await pod.exited).toBe(1);
    expect(pod.output.join('\n')).toContain('the app exited on its own (SIGKILL)');
  });
});
