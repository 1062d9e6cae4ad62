import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * What `docker-archive` records next to the image archive: the `docker`
 * target compares `id` with the engine to decide whether to load the archive.
 */
export interface ArchiveManifest {
  /** Image ID (sha256:…, the config digest), as `docker image inspect` reports it. */
  id: string;
  tags: string[];
  /** Uncompressed size the engine reports, bytes. */
  size: number;
  /** The archive, relative to the workspace root. */
  archive: string;
  baseImage: string;
  baseImageId: string;
}

export function parseArchiveManifest(text: string, source: string): ArchiveManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON (${(error as Error).message}); rebuild it: npx nx run rag-api:docker-archive --skip-nx-cache`, { cause: error });
  }
  const m = value as Partial<ArchiveManifest>;
  if (typeof m.id !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(m.id) || !Array.isArray(m.tags) || m.tags.length === 0 || typeof m.archive !== 'string') {
    throw new Error(`${source} lacks an image id (sha256:…), tags or archive path; rebuild it: npx nx run rag-api:docker-archive --skip-nx-cache`);
  }
  return m as ArchiveManifest;
}

export function readArchiveManifest(path: string): ArchiveManifest {
  if (!existsSync(path)) throw new Error(`${path} is missing; build the image archive first: npx nx run rag-api:docker-archive`);
  return parseArchiveManifest(readFileSync(path, 'utf8'), path);
}

/** Written via a temporary file and a rename, so a reader never sees half a file. */
export function writeArchiveManifest(path: string, manifest: ArchiveManifest): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
