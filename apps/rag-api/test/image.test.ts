import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_GID, APP_UID, APP_VERSION, CONTAINER_PORT, imageIdTag, imageRef } from '@llmops-rag/contract';
import { appImageTags, docker, dockerEngine, dockerOk, ensureAppImage, inspectImage, type BuiltImage, type ImageInfo } from '@llmops-rag/workspace-tools';
import { DEV_ENV, exitState, HARDENED, nodeInImage, startContainer, waitForStatus, type RunningContainer } from './support/image-container.js';

/*
 * The container image for real: built now by the image helper (an unchanged
 * build is a layer-cache hit), then run with the pod's hardening. Skipped,
 * with the reason printed, only when no Docker engine answers; CI has one.
 */
const engine = await dockerEngine();
if (!engine.ok) console.warn(`[image] SKIPPING the container image tests: ${engine.reason}`);

/** Distroless Node 24 is ~130-170 MB; the bundle adds ~5 MB. A fat base or node_modules would break this. */
const MAX_IMAGE_MB = 140;

describe.skipIf(!engine.ok)(engine.ok ? 'container image llmops-rag-api' : `container image llmops-rag-api (SKIPPED: ${engine.reason})`, () => {
  let image: BuiltImage;
  let info: ImageInfo;
  const containers: RunningContainer[] = [];

  beforeAll(async () => {
    image = await ensureAppImage();
    const inspected = await inspectImage(image.id);
    if (!inspected) throw new Error(`image ${image.id} vanished right after the build`);
    info = inspected;
  }, 300_000);

  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.remove()));
  });

  async function start(env: Record<string, string> = DEV_ENV, args: string[] = HARDENED): Promise<RunningContainer> {
    const container = await startContainer(image.id, env, args);
    containers.push(container);
    return container;
  }

  it('is tagged latest and with the app version, both at the built image', async () => {
    expect(appImageTags()).toEqual(['llmops-rag-api:latest', `llmops-rag-api:${APP_VERSION}`]);
    for (const tag of appImageTags()) expect((await inspectImage(tag))?.Id).toBe(image.id);
    // The Dockerfile's default is 0.0.0-dev: this label is the build argument tools/image passed from libs/contract.
    expect(info.Config.Labels?.['org.opencontainers.image.version']).toBe(APP_VERSION);
  });

  it('is also tagged with its own ID (the immutable tag the local deploy pins), at the built image', async () => {
    const idTag = imageRef(imageIdTag(image.id));
    expect(idTag).toBe(`llmops-rag-api:id-${image.id.slice(7, 19)}`);
    expect(image.tags).toEqual([...appImageTags(), idTag]);
    expect((await inspectImage(idTag))?.Id).toBe(image.id);
  });

  it('declares a numeric non-root user, port 8000 and an exec-form node entrypoint', () => {
    expect(info.Config.User).toBe(`${APP_UID}:${APP_GID}`);
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual([`${CONTAINER_PORT}/tcp`]);
    expect(info.Config.Entrypoint).toEqual(['/nodejs/bin/node']);
    expect(info.Config.Cmd).toEqual(['/app/main.js']);
    expect((info.Config.Env ?? []).join('\n')).not.toMatch(/OPENAI|SECRET|TOKEN|PASSWORD/i);
  });

  it(`is smaller than ${MAX_IMAGE_MB} MB`, () => {
    console.log(`[image] ${image.tags.join(', ')} = ${image.id.slice(7, 19)}: ${(info.Size / 1_000_000).toFixed(1)} MB`);
    expect(info.Size / 1_000_000).toBeLessThan(MAX_IMAGE_MB);
  });

  it('has no shell to exec into', async () => {
    for (const shell of ['/bin/sh', '/bin/bash']) {
      const result = await docker(['run', '--rm', '--network', 'none', '--entrypoint', shell, image.id, '-c', 'true']);
      expect(result.code, `${shell} ran in the image`).not.toBe(0);
      expect(result.stderr).toMatch(/no such file or directory|not found/i);
    }
  });

  it('holds only the bundle: no npm, no package manager, no node_modules, no source map, no secrets', async () => {
    const listing = await nodeInImage(
      image.id,
      `const fs = require('fs');
       const gone = ['/bin/sh', '/bin/bash', '/usr/bin/apt', '/usr/bin/npm', '/usr/local/bin/npm', '/nodejs/bin/npm', '/nodejs/bin/npx',
         '/usr/lib/node_modules', '/usr/local/lib/node_modules', '/nodejs/lib/node_modules', '/app/node_modules', '/app/.env'].filter((p) => fs.existsSync(p));
       console.log(JSON.stringify({ gone, app: fs.readdirSync('/app').sort() }));`,
    );
    const { gone, app } = JSON.parse(listing) as { gone: string[]; app: string[] };
    expect(gone).toEqual([]);
    // The process entry, the app it loads, the app's V8 code cache made at build, the script that made it, the Swagger UI files; no .map.
    expect(app).toEqual(['app-bundle.js', 'app-bundle.js.cache', 'main.js', 'package.json', 'prime-code-cache.js', 'static']);
  });

  it(`holds a code cache made at build, owned by root and not writable by uid ${APP_UID}`, async () => {
    // Not on a read-only root: there every file is unwritable, whatever its owner and mode.
    const report = await nodeInImage(
      image.id,
      `const fs = require('fs'); const file = '/app/app-bundle.js.cache'; const { uid, gid, mode, size } = fs.statSync(file);
       let writable = true; try { fs.accessSync(file, fs.constants.W_OK); } catch { writable = false; }
       console.log(JSON.stringify({ user: process.getuid(), uid, gid, mode: mode & 0o777, size, writable }));`,
      ['--user', `${APP_UID}:${APP_GID}`],
    );
    const cache = JSON.parse(report) as { user: number; uid: number; gid: number; mode: number; size: number; writable: boolean };
    expect(cache.user).toBe(APP_UID);
    expect({ uid: cache.uid, gid: cache.gid }).toEqual({ uid: 0, gid: 0 });
    expect(cache.mode & 0o022, `mode ${cache.mode.toString(8)}: group or others may write`).toBe(0);
    expect(cache.writable).toBe(false);
    expect(cache.size).toBeGreaterThan(100_000); // the compiled code of a whole start and its first requests, not just a digest
  });

  it(`starts from that code cache as the Deployment runs it (uid ${APP_UID}, read-only root): V8 accepts it, then /health/ready is 200`, async () => {
    const container = await start({ ...DEV_ENV, NODE_DEBUG: 'rag-api' }, [...HARDENED, '--user', `${APP_UID}:${APP_GID}`]);
    await waitForStatus(container, '/health/ready', 200);
    // absent (no build step), stale (made for another bundle) or rejected (another node binary or V8 flags) fail here.
    expect(await container.logs()).toMatch(/^RAG-API 1: code cache for \/app\/app-bundle\.js: accepted$/m);
  });

  it(`runs as uid/gid ${APP_UID} with node itself as PID 1 (signals reach it directly)`, async () => {
    const container = await start();
    await waitForStatus(container, '/health/live', 200);
    const proc = await dockerOk([
      'exec',
      container.id,
      '/nodejs/bin/node',
      '-e',
      `const fs = require('fs'); const status = fs.readFileSync('/proc/1/status', 'utf8');
       console.log(JSON.stringify({ uid: status.match(/^Uid:\\s+(\\d+)/m)[1], gid: status.match(/^Gid:\\s+(\\d+)/m)[1],
         cmdline: fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0').filter(Boolean) }));`,
    ]);
    expect(JSON.parse(proc)).toEqual({ uid: String(APP_UID), gid: String(APP_GID), cmdline: ['/nodejs/bin/node', '/app/main.js'] });
  });

  it('serves /health/live and /health/ready on a read-only root with no capabilities', async () => {
    const container = await start();
    const readyAfterMs = await waitForStatus(container, '/health/ready', 200);
    console.log(`[image] ready ${Math.round(readyAfterMs)} ms after docker run returned`);
    expect(await (await fetch(`${container.baseUrl}/health/live`)).json()).toEqual({ status: 'alive' });
    expect(await (await fetch(`${container.baseUrl}/health/ready`)).json()).toEqual({ status: 'ready', checks: { api: 'ok' } });
    expect(await container.logs()).toContain('Application startup complete');
  });

  it('on SIGTERM turns readiness 503, drains, and exits 0', async () => {
    const container = await start({ ...DEV_ENV, SHUTDOWN_DRAIN_SECONDS: '2' });
    await waitForStatus(container, '/health/ready', 200);
    const stopped = docker(['stop', '--time', '15', container.id]);
    await waitForStatus(container, '/health/ready', 503, 5000);
    const result = await stopped;
    expect(result.code).toBe(0);
    expect(await exitState(container.id)).toEqual({ exitCode: 0, oomKilled: false, running: false });
  }, 30_000);

  it('refuses an invalid configuration: exit 1 with the aggregated error', async () => {
    const container = await start({ ...DEV_ENV, APP_ENV: 'prod' }); // prod refuses the placeholder secret
    const result = await docker(['wait', container.id]);
    expect(result.stdout.trim()).toBe('1');
    expect(await container.logs()).toMatch(/OPENAI_API_KEY: .*placeholder, refused when APP_ENV=prod/);
  });
});
