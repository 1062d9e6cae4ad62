import { APP_GID, APP_UID, APP_VERSION } from '@llmops-rag/contract';

/**
 * The Dockerfile's build arguments: the base image, and from libs/contract the
 * version (the `org.opencontainers.image.version` label) and the uid/gid the
 * image runs as (the manifests' runAsUser/runAsGroup read the same constants).
 */
export function imageBuildArgs(baseImage: string): Record<string, string> {
  return { BASE_IMAGE: baseImage, APP_VERSION, APP_UID: String(APP_UID), APP_GID: String(APP_GID) };
}

/** `--build-arg NAME=value` for each of them. */
export function buildArgFlags(args: Record<string, string>): string[] {
  return Object.entries(args).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]);
}
