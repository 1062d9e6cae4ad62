/**
 * `nx run rag-api:docker` (never cached): makes the Docker engine hold the
 * image that docker-archive built, loading dist/images/llmops-rag-api.tar
 * only when the engine lacks that image ID (e.g. after an Nx cache hit).
 */
import { dockerEngine } from '@llmops-rag/platform';
import { loadImageArchive } from '../app-image.js';
import { readArchiveManifest } from '../archive-manifest.js';
import { PATHS, workspacePath } from '../constants.js';
import { megabytes, progress } from '../progress.js';

const log = progress('docker');
try {
  const engine = await dockerEngine();
  if (!engine.ok) throw new Error(engine.reason);
  const manifest = readArchiveManifest(workspacePath(PATHS.archiveManifest));
  const { outcome, info } = await loadImageArchive(manifest, log);
  const how = { present: 'already in the engine', retagged: 'in the engine, tags re-pointed', loaded: `loaded from ${PATHS.archive}` }[outcome];
  log(`${manifest.tags.join(', ')} = ${info.Id.slice(7, 19)} (${how}), ${megabytes(info.Size)}`);
} catch (error) {
  console.error(`[docker] ERROR: ${(error as Error).message}`);
  process.exit(1);
}
