import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { imageIdTag, imageRef } from '@llmops-rag/contract';
import { readArchiveManifest } from '../archive-manifest.js';
import { withBuildLock } from '../build-lock.js';
import { appImageTags, PATHS, WORKSPACE_ROOT, workspacePath } from '../constants.js';
import { dockerEngine, dockerOk } from '../docker-cli.js';

/*
 * Issue 10 item 8: two `nx run rag-api:docker-archive --skip-nx-cache` at once,
 * for real (Nx, the esbuild executor, docker build, docker save). Each run's
 * bundle build used to empty dist/apps/rag-api while the other's image build
 * read it. Now a bundle is staged and swapped in under the image build lock,
 * so whoever holds that lock, as `docker build` does, always finds a complete
 * bundle. Skipped, with the reason printed, only when no Docker engine answers.
 */
const engine = await dockerEngine();
if (!engine.ok) console.warn(`[docker-archive] SKIPPING the concurrent docker-archive test: ${engine.reason}`);

/** esbuild's last line of main.js: a file without it is cut short. */
const BUNDLE_END = '//# sourceMappingURL=main.js.map\n';

interface Run {
  code: number | null;
  output: string;
}

function nxRun(target: string): Promise<Run> {
  const child = spawn('npx', ['nx', 'run', target, '--skip-nx-cache', '--outputStyle=stream-without-prefixes'], {
    cwd: WORKSPACE_ROOT,
    // A run of its own, not a task of the `nx run-many` that runs this test: Nx tracks every task of one invocation
    // (NX_INVOCATION_ROOT_PID) and refuses rag-api:build a second time as a recursive invocation.
    env: { ...process.env, NX_INVOCATION_ROOT_PID: undefined, NX_DAEMON: 'false', NX_TUI: 'false', DOCKER_BUILDKIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, output: stripVTControlCharacters(output) })));
}

/** What an image build holding the lock would find in dist/apps/rag-api; undefined when complete. */
function bundleProblem(): string | undefined {
  try {
    const main = readFileSync(workspacePath(PATHS.bundleMain), 'utf8');
    if (!main.endsWith(BUNDLE_END)) return `main.js cut short (${main.length} bytes)`;
    if (!statSync(workspacePath(`${PATHS.bundleDir}/package.json`)).isFile()) return 'package.json missing';
    if (!statSync(workspacePath(`${PATHS.bundleDir}/static`)).isDirectory()) return 'static/ missing';
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

describe.skipIf(!engine.ok)('two docker-archive runs at once (issue 10 item 8)', () => {
  it('both succeed, and a reader holding the image build lock never finds the bundle missing or partial', async () => {
    // The hazard is a build deleting a bundle another build reads, so there is one to begin with (a fresh clone has none).
    const first = await nxRun('rag-api:build');
    expect(first.code, first.output.slice(-3000)).toBe(0);
    let running = true;
    const runs = Promise.all([nxRun('rag-api:docker-archive'), nxRun('rag-api:docker-archive')]).finally(() => (running = false));
    const seen: string[] = [];
    let looks = 0;
    while (running) {
      await withBuildLock(workspacePath(PATHS.buildLock), async () => {
        looks++;
        const problem = bundleProblem();
        if (problem) seen.push(problem);
      });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [a, b] = await runs;
    console.log(`reader: ${looks} looks under the lock, ${seen.length} found the bundle missing or partial`);

    for (const run of [a!, b!]) {
      expect(run.output, run.output.slice(-3000)).toMatch(/Successfully ran target docker-archive/);
      expect(run.code).toBe(0);
    }
    expect([...new Set(seen)]).toEqual([]);
    expect(looks).toBeGreaterThan(20);

    // The archive carries the immutable tag of its image ID next to latest and the version (docker load restores all).
    const manifest = readArchiveManifest(workspacePath(PATHS.archiveManifest));
    const idTag = imageRef(imageIdTag(manifest.id));
    expect(manifest.tags).toEqual([...appImageTags(), idTag]);
    const saved = JSON.parse(execFileSync('tar', ['-xOf', workspacePath(PATHS.archive), 'manifest.json'], { encoding: 'utf8' })) as { RepoTags: string[] }[];
    expect(saved.flatMap((image) => image.RepoTags).sort()).toEqual([...manifest.tags].sort());

    // The archived image holds exactly the bundle on disk.
    const container = await dockerOk(['create', manifest.id]);
    try {
      const copy = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'main.js');
      await dockerOk(['cp', `${container}:/app/main.js`, copy]);
      expect(readFileSync(copy).equals(readFileSync(workspacePath(PATHS.bundleMain)))).toBe(true);
    } finally {
      await dockerOk(['rm', container]);
    }
  }, 300_000);
});
