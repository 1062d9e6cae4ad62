import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A cross-process lock (an atomic mkdir) so image builds from parallel test
 * processes run one after the other: the second then hits the layer cache and
 * gets the same image ID, instead of two builds racing to move the tags. A
 * bundle build takes it too while it swaps in a new dist/apps/rag-api
 * (bundle-publish.ts), so it never replaces the folder an image build reads.
 * A lock whose holder process is gone is taken over. `onWait` runs once when
 * the lock is busy.
 */
export async function withBuildLock<T>(dir: string, fn: () => Promise<T>, waitMs = 600_000, onWait?: () => void): Promise<T> {
  const owner = join(dir, 'pid');
  // The lock's parent (dist/images) does not exist on a fresh clone until a first image build makes it.
  mkdirSync(dirname(dir), { recursive: true });
  const deadline = Date.now() + waitMs;
  let waited = false;
  for (;;) {
    try {
      mkdirSync(dir, { recursive: false });
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(owner)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (!waited) {
        waited = true;
        onWait?.();
      }
      if (Date.now() > deadline) throw new Error(`another image build holds ${dir} for over ${waitMs / 1000}s; remove it if no build runs`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function holderAlive(ownerFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(ownerFile, 'utf8'));
  } catch {
    // No pid yet: just created (alive), unless the dir is older than a few seconds (holder died before writing it).
    try {
      return Date.now() - statSync(dirname(ownerFile)).mtimeMs < 5_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
