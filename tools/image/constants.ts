import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (tools/image/ is two levels down). */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Local name of the API image (the manifests' `image:` uses it; prod pins the version tag). */
export const APP_IMAGE_REPOSITORY = 'llmops-rag-api';

/**
 * The Dockerfile's default `ARG BASE_IMAGE`. On a laptop it is pulled; in CI
 * (no registry) `tools/image/build-base.ts` creates a stand-in under this name.
 */
export const DEFAULT_BASE_IMAGE = 'gcr.io/distroless/nodejs24-debian12:nonroot';

/** Overrides the base image (passed as `--build-arg BASE_IMAGE`). */
export const BASE_IMAGE_ENV = 'RAG_API_BASE_IMAGE';

/** uid:gid the image runs as; must match the manifests' runAsUser/runAsGroup. */
export const APP_UID = 10001;
export const APP_GID = 10001;

export const PATHS = {
  dockerfile: 'apps/rag-api/Dockerfile',
  bundleDir: 'dist/apps/rag-api',
  bundleMain: 'dist/apps/rag-api/main.js',
  versionFile: 'apps/rag-api/src/version.ts',
  imagesDir: 'dist/images',
  archive: `dist/images/${APP_IMAGE_REPOSITORY}.tar`,
  archiveManifest: `dist/images/${APP_IMAGE_REPOSITORY}.json`,
  /** Held by an image build while it reads bundleDir, and by a bundle build while it replaces bundleDir. */
  buildLock: 'dist/images/.build.lock',
} as const;

export function workspacePath(relative: string): string {
  return `${WORKSPACE_ROOT}${relative}`;
}

export function baseImageRef(env: NodeJS.ProcessEnv = process.env): string {
  return env[BASE_IMAGE_ENV]?.trim() || DEFAULT_BASE_IMAGE;
}

/** The app's version (APP_VERSION in apps/rag-api/src/version.ts): the image's second tag. */
export function appVersion(): string {
  const source = readFileSync(workspacePath(PATHS.versionFile), 'utf8');
  const match = source.match(/APP_VERSION\s*=\s*['"]([^'"]+)['"]/);
  if (!match?.[1]) throw new Error(`${PATHS.versionFile}: no \`APP_VERSION = '…'\` found; the image's version tag is read from it`);
  return match[1];
}

/** `llmops-rag-api:latest` and `llmops-rag-api:<version>`. */
export function appImageTags(version = appVersion()): string[] {
  return [`${APP_IMAGE_REPOSITORY}:latest`, `${APP_IMAGE_REPOSITORY}:${version}`];
}
