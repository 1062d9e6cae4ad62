import { APP_VERSION, IMAGE_ARCHIVE, IMAGE_REPOSITORY, imageRef, LATEST_TAG } from '@llmops-rag/contract';
import { workspaceRoot } from '@llmops-rag/platform';

/** The repository root, with a trailing slash. */
export const WORKSPACE_ROOT = `${workspaceRoot(import.meta.dirname)}/`;

/**
 * The Dockerfile's default `ARG BASE_IMAGE`. On a laptop it is pulled; in CI
 * (no registry) `tools/image/build-base.ts` creates a stand-in under this name.
 */
export const DEFAULT_BASE_IMAGE = 'gcr.io/distroless/nodejs24-debian12:nonroot';

/** Overrides the base image (passed as `--build-arg BASE_IMAGE`). */
export const BASE_IMAGE_ENV = 'RAG_API_BASE_IMAGE';

export const PATHS = {
  dockerfile: 'apps/rag-api/Dockerfile',
  bundleDir: 'dist/apps/rag-api',
  bundleMain: 'dist/apps/rag-api/main.js',
  imagesDir: 'dist/images',
  archive: IMAGE_ARCHIVE,
  archiveManifest: `dist/images/${IMAGE_REPOSITORY}.json`,
  /** Held by an image build while it reads bundleDir, and by a bundle build while it replaces bundleDir. */
  buildLock: 'dist/images/.build.lock',
} as const;

export function workspacePath(relative: string): string {
  return `${WORKSPACE_ROOT}${relative}`;
}

export function baseImageRef(env: NodeJS.ProcessEnv = process.env): string {
  return env[BASE_IMAGE_ENV]?.trim() || DEFAULT_BASE_IMAGE;
}

/** `llmops-rag-api:latest` and `llmops-rag-api:<version>` (the version from libs/contract). */
export function appImageTags(version: string = APP_VERSION): string[] {
  return [imageRef(LATEST_TAG), imageRef(version)];
}
