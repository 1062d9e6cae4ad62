import { rmSync } from 'node:fs';
import { replaceDir, stagingDirFor } from '@llmops-rag/platform';
import { withBuildLock } from './build-lock.js';
import { PATHS, workspacePath } from './constants.js';

/**
 * How the rag-api bundle reaches dist/apps/rag-api without ever deleting what
 * an image build is reading: the bundle is written to a staging directory
 * beside it, then swapped into place (platform's replaceDir) while holding the
 * image build lock, the lock `docker build` holds while it reads the folder
 * (app-image.ts). Two `nx run rag-api:docker-archive` at once: each bundles into
 * its own staging directory; the swaps and the image builds take turns.
 */
export async function publishBundle(outdir: string, fill: (staged: string) => void, log: (line: string) => void = () => {}): Promise<void> {
  const staged = stagingDirFor(outdir);
  try {
    fill(staged);
    await withBuildLock(
      workspacePath(PATHS.buildLock),
      async () => replaceDir(staged, outdir),
      undefined,
      () => log(`waiting for the image build holding ${PATHS.buildLock} before replacing ${outdir}`),
    );
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}
