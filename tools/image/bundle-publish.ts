import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { withBuildLock } from './build-lock.js';
import { PATHS, workspacePath } from './constants.js';

/**
 * How the rag-api bundle reaches dist/apps/rag-api without ever deleting what
 * an image build is reading: the bundle is written to a staging directory
 * beside it, then swapped into place while holding the image build lock, the
 * lock `docker build` holds while it reads the folder (app-image.ts). Two
 * `nx run rag-api:docker-archive` at once: each bundles into its own staging
 * directory; the swaps and the image builds take turns.
 */
export async function publishBundle(outdir: string, fill: (staged: string) => void, log: (line: string) => void = () => {}): Promise<void> {
  mkdirSync(dirname(outdir), { recursive: true });
  const staged = sibling(outdir, 'staging');
  mkdirSync(staged);
  try {
    fill(staged);
    const lock = workspacePath(PATHS.buildLock);
    mkdirSync(dirname(lock), { recursive: true });
    await withBuildLock(
      lock,
      async () => swapIn(staged, outdir),
      undefined,
      () => log(`waiting for the image build holding ${PATHS.buildLock} before replacing ${outdir}`),
    );
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

/** The old directory is moved aside, the new one renamed in, then the old one deleted (rename(2) cannot replace a non-empty directory). */
function swapIn(staged: string, outdir: string): void {
  const aside = sibling(outdir, 'old');
  let moved = false;
  try {
    renameSync(outdir, aside);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  renameSync(staged, outdir);
  if (moved) rmSync(aside, { recursive: true, force: true });
}

function sibling(target: string, role: string): string {
  return join(dirname(target), `.${basename(target)}.${role}-${process.pid}-${randomBytes(4).toString('hex')}`);
}
