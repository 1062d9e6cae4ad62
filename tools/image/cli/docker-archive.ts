/**
 * `nx run rag-api:docker-archive` (cached): builds the image and writes
 * dist/images/llmops-rag-api.tar (`docker save`, what clusters import) and
 * dist/images/llmops-rag-api.json (its image ID and tags).
 */
import { buildImageArchive } from '../app-image.js';
import { PATHS } from '../constants.js';
import { megabytes, progress } from '../progress.js';

const log = progress('docker-archive');
try {
  const manifest = await buildImageArchive(log);
  log(
    `done in ${(log.elapsedMs() / 1000).toFixed(1)}s: ${manifest.tags.join(', ')} = ${manifest.id.slice(7, 19)}, ${megabytes(manifest.size)}; ${PATHS.archive}`,
  );
} catch (error) {
  console.error(`[docker-archive] ERROR: ${(error as Error).message}`);
  process.exit(1);
}
