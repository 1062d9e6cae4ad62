/** Local name of the API image (no registry): the Dockerfile builds it, the manifests run it. */
export const IMAGE_REPOSITORY = 'llmops-rag-api';

/** Where `nx run rag-api:docker-archive` saves the image (`docker save`), relative to the repo root; the local deploy loads it. */
export const IMAGE_ARCHIVE = `dist/images/${IMAGE_REPOSITORY}.tar`;

/** The moving tag every local build also gets. */
export const LATEST_TAG = 'latest';

/** `llmops-rag-api:<tag>`; the tag must be a valid Docker tag (letters, digits, `_`, `.`, `-`, at most 128). */
export function imageRef(tag: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new Error(
      `image tag ${JSON.stringify(tag.slice(0, 60))} is not a Docker tag: use letters, digits, '_', '.', '-' (at most 128, not starting with '.' or '-')`,
    );
  }
  return `${IMAGE_REPOSITORY}:${tag}`;
}

/** Prefix of the immutable tag a local build also gets, derived from its image ID. */
export const IMAGE_ID_TAG_PREFIX = 'id-';

/**
 * The immutable tag of one build, `id-<first 12 hex of the image ID>` (the short ID `docker images` shows):
 * `latest` moves with every build, this one never does, so a Deployment that names it runs exactly that build
 * (how skaffold tags local images). Takes `sha256:<hex>` or the bare hex.
 */
export function imageIdTag(imageId: string): string {
  const hex = imageId.replace(/^sha256:/, '').toLowerCase();
  if (!/^[a-f0-9]{12,64}$/.test(hex)) {
    throw new Error(
      `image ID ${JSON.stringify(imageId.slice(0, 80))} is not a sha256 digest: expected sha256:<hex> (at least 12 hex digits), as docker image inspect reports it`,
    );
  }
  return `${IMAGE_ID_TAG_PREFIX}${hex.slice(0, 12)}`;
}

/** uid and gid the image runs as: above 10000 so they map to no account on the node; the pods' runAsUser/runAsGroup. */
export const APP_UID = 10_001;
export const APP_GID = 10_001;
