import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { APP_VERSION, imageIdTag, imageRef } from '@llmops-rag/contract';
import { dockerEngine } from '@llmops-rag/platform';
import { writeArchiveManifest, type ArchiveManifest } from './archive-manifest.js';
import { ensureBaseImage } from './base-image.js';
import { buildArgFlags, imageBuildArgs } from './build-args.js';
import { appImageTags, baseImageRef, PATHS, WORKSPACE_ROOT, workspacePath } from './constants.js';
import { withBuildLock } from './build-lock.js';
import { buildEnv, dockerOk, inspectImage, type ImageInfo } from './docker-cli.js';
import { megabytes, progress, type Progress } from './progress.js';

export interface BuiltImage {
  id: string;
  tags: string[];
  size: number;
  baseImage: string;
  baseImageId: string;
}

function requireBundle(): void {
  if (!existsSync(workspacePath(PATHS.bundleMain))) {
    throw new Error(`${PATHS.bundleMain} is missing: the image copies the rag-api bundle\nfix: npx nx run rag-api:build`);
  }
}

/**
 * `docker build` of apps/rag-api/Dockerfile with the repo root as context,
 * tagged latest and the app version, then also with the immutable tag of its
 * image ID (`imageIdTag` of libs/contract), which the local deploy pins the
 * Deployment to. Returns the ID the build produced (from --iidfile), not
 * whatever a tag points at when builds run side by side.
 */
export async function buildAppImage(log: Progress): Promise<BuiltImage> {
  mkdirSync(workspacePath('dist/images'), { recursive: true });
  return withBuildLock(
    workspacePath(PATHS.buildLock),
    () => buildUnlocked(log),
    undefined,
    () => log(`waiting for another image or bundle build holding ${PATHS.buildLock}`),
  );
}

async function buildUnlocked(log: Progress): Promise<BuiltImage> {
  const engine = await dockerEngine();
  if (!engine.ok) throw new Error(engine.reason);
  requireBundle();
  const baseImage = baseImageRef();
  const base = await ensureBaseImage(baseImage, { offlineFallback: true, log });
  const tags = appImageTags(APP_VERSION);
  const scratch = mkdtempSync(join(tmpdir(), 'llmops-image-'));
  const iidFile = join(scratch, 'iid');
  try {
    log(`docker build -f ${PATHS.dockerfile} (base ${baseImage} ${base.Id.slice(7, 19)}) -> ${tags.join(', ')}`);
    const args = ['build', '-f', PATHS.dockerfile, '--iidfile', iidFile, ...buildArgFlags(imageBuildArgs(baseImage))];
    for (const tag of tags) args.push('-t', tag);
    await dockerOk([...args, '.'], {
      cwd: WORKSPACE_ROOT,
      env: await buildEnv(),
      timeoutMs: 600_000,
      onLine: (line) => {
        if (/^(Step \d+|Successfully|#\d+ (DONE|ERROR)|ERROR)/.test(line)) log(`  ${line}`);
      },
    });
    const id = readFileSync(iidFile, 'utf8').trim();
    const info = await inspectImage(id);
    if (!info) throw new Error(`docker build reported ${id} but the engine has no such image`);
    // Known only now: the ID is the build's result. It never moves, unlike latest.
    const idTag = imageRef(imageIdTag(id));
    await dockerOk(['tag', id, idTag]);
    log(`built ${id.slice(7, 19)}: ${megabytes(info.Size)}, also tagged ${idTag}`);
    return { id, tags: [...tags, idTag], size: info.Size, baseImage, baseImageId: base.Id };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `docker save` of the tags (latest, version, the ID's) into `archive` (via a temporary file and a rename). */
export async function saveImageArchive(image: BuiltImage, archive: string, log: Progress): Promise<void> {
  mkdirSync(dirname(archive), { recursive: true });
  const partial = `${archive}.partial`;
  rmSync(partial, { force: true });
  log(`docker save ${image.tags.join(' ')} -> ${archive}`);
  // Tags, not the ID: the archive's RepoTags then restore both tags on `docker load`.
  // Re-point them at the built ID first in case another build moved them meanwhile.
  for (const tag of image.tags) await dockerOk(['tag', image.id, tag]);
  await dockerOk(['save', '-o', partial, ...image.tags], { timeoutMs: 600_000 });
  renameSync(partial, archive);
  chmodSync(archive, 0o644); // docker save writes 0600; cluster loaders may run as another user, and the image holds no secrets
  log(`archive written: ${megabytes(statSync(archive).size)}`);
}

/** The docker-archive target: build, save, record the ID. */
export async function buildImageArchive(log: Progress): Promise<ArchiveManifest> {
  const image = await buildAppImage(log);
  const archive = workspacePath(PATHS.archive);
  await saveImageArchive(image, archive, log);
  const manifest: ArchiveManifest = {
    id: image.id,
    tags: image.tags,
    size: image.size,
    archive: PATHS.archive,
    baseImage: image.baseImage,
    baseImageId: image.baseImageId,
  };
  writeArchiveManifest(workspacePath(PATHS.archiveManifest), manifest);
  return manifest;
}

export type LoadOutcome = 'present' | 'retagged' | 'loaded';

/** Tags that do not point at `id` in the engine. */
export async function tagsNotAt(id: string, tags: readonly string[]): Promise<string[]> {
  const stale: string[] = [];
  for (const tag of tags) if ((await inspectImage(tag))?.Id !== id) stale.push(tag);
  return stale;
}

/**
 * The docker target: make the engine hold the archived image under its tags.
 * Nothing to do when it already does; re-tag when only tags moved; else
 * `docker load` the archive (an Nx cache hit restored it, but not the engine).
 */
export async function loadImageArchive(manifest: ArchiveManifest, log: Progress): Promise<{ outcome: LoadOutcome; info: ImageInfo }> {
  let outcome: LoadOutcome = 'present';
  if (await inspectImage(manifest.id)) {
    const stale = await tagsNotAt(manifest.id, manifest.tags);
    if (stale.length > 0) {
      log(`image ${manifest.id.slice(7, 19)} is in the engine; re-pointing ${stale.join(', ')} at it`);
      for (const tag of stale) await dockerOk(['tag', manifest.id, tag]);
      outcome = 'retagged';
    }
  } else {
    const archive = workspacePath(manifest.archive);
    if (!existsSync(archive)) throw new Error(`${manifest.archive} is missing; rebuild it: npx nx run rag-api:docker-archive --skip-nx-cache`);
    log(`image ${manifest.id.slice(7, 19)} is not in the engine: docker load -i ${manifest.archive}`);
    await dockerOk(['load', '-i', archive], { timeoutMs: 600_000 });
    outcome = 'loaded';
    const stale = await tagsNotAt(manifest.id, manifest.tags);
    if (stale.length > 0)
      throw new Error(
        `after docker load, ${stale.join(', ')} do not point at ${manifest.id}: the archive does not match its manifest; rebuild: npx nx run rag-api:docker-archive --skip-nx-cache`,
      );
  }
  const info = await inspectImage(manifest.id);
  if (!info) throw new Error(`image ${manifest.id} is still not in the engine after loading ${manifest.archive}`);
  return { outcome, info };
}

let ensured: Promise<BuiltImage> | undefined;

/**
 * For tests: the current image, built now (layer cache makes an unchanged
 * build about a second). Needs a Docker engine; builds the bundle with Nx only
 * when it is missing (e.g. a test of another project runs first). Memoized
 * per process.
 */
export function ensureAppImage(log: Progress = progress('image')): Promise<BuiltImage> {
  ensured ??= (async () => {
    if (!existsSync(workspacePath(PATHS.bundleMain))) {
      log(`${PATHS.bundleMain} is missing: npx nx run rag-api:build`);
      const build = spawnSync('npx', ['nx', 'run', 'rag-api:build', '--outputStyle=stream-without-prefixes'], {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, NX_DAEMON: 'false' },
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`nx run rag-api:build failed (exit ${build.status}):\n${`${build.stdout}${build.stderr}`.slice(-2000)}`);
    }
    return buildAppImage(log);
  })();
  return ensured;
}
