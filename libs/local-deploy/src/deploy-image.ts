import { imageIdTag, imageRef } from '@llmops-rag/contract';
import { normalizeRef } from './cluster-kinds.js';
import { IMAGE } from './deploy-options.js';

/** What the deploy knows of the image archive: its config digest (hex) and the tags its manifest.json lists. */
export interface ArchiveImage {
  id: string;
  repoTags: readonly string[];
}

/** The image the Deployment's app container names, and whether it is the build's own immutable tag. */
export interface DeployImage {
  ref: string;
  pinned: boolean;
}

/**
 * `llmops-rag-api:id-<12 hex>` when the archive carries the immutable tag of its own image ID (every archive
 * `nx run rag-api:docker-archive` writes now), else `llmops-rag-api:latest` (an archive built before that tag
 * existed). Pinned, the Deployment spec names the exact build, so the release record, a rollback and an atomic
 * restore bring the image back with the spec; `latest` is moved by every build.
 */
export function deployImage(archive: ArchiveImage | undefined): DeployImage {
  if (!archive) return { ref: IMAGE, pinned: false };
  const pinned = imageRef(imageIdTag(archive.id));
  return archive.repoTags.some((tag) => normalizeRef(tag) === pinned) ? { ref: pinned, pinned: true } : { ref: IMAGE, pinned: false };
}
