import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Directory output that readers never see half-written, also with several
 * writers at once (three concurrent synths, two image builds).
 *
 * A writer fills a staging directory beside the target, then renames it into
 * place. rename(2) cannot replace a non-empty directory (ENOTEMPTY) and Node has
 * no RENAME_EXCHANGE, so an existing target is first renamed aside and deleted
 * from there. At the target path a reader finds the old complete directory, the
 * new complete one, or, for the instant between the two renames, none; never a
 * partly written or partly deleted one. Concurrent writers retry until theirs is
 * in place: the last one wins, and every one of them wrote a complete directory.
 */

/** How often a writer moves someone else's fresh directory aside before giving up. */
const MAX_ATTEMPTS = 100;

/** A new empty directory beside `target` (same filesystem, so renames are atomic), with the usual umask mode (mkdtemp would give 0700). */
export function stagingDirFor(target: string): string {
  mkdirSync(dirname(target), { recursive: true });
  const staged = siblingName(target, 'staging');
  mkdirSync(staged);
  return staged;
}

/** Moves the complete directory `staged` to `target`, replacing what is there. */
export function replaceDir(staged: string, target: string): void {
  const asides: string[] = [];
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        renameSync(staged, target);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      const aside = moveAside(target);
      if (aside) asides.push(aside);
    }
    throw new Error(`could not move ${staged} to ${target}: other writers replaced it ${MAX_ATTEMPTS} times in a row`);
  } finally {
    // Deleted only once the new directory is in place, so the gap between the two renames stays an instant.
    for (const aside of asides) rmSync(aside, { recursive: true, force: true });
  }
}

/** Removes `target` without ever showing it partly deleted. Returns whether there was one. */
export function removeDir(target: string): boolean {
  const aside = moveAside(target);
  if (aside) rmSync(aside, { recursive: true, force: true });
  return aside !== undefined;
}

/** Renames `target` to a hidden sibling; undefined when there is no `target`. */
function moveAside(target: string): string | undefined {
  const aside = siblingName(target, 'old');
  try {
    renameSync(target, aside);
    return aside;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `.<name>.<role>-<pid>-<random>` beside `target`: hidden, and unique per process and call. */
function siblingName(target: string, role: string): string {
  return join(dirname(target), `.${basename(target)}.${role}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

const SIBLING = /^\..+\.(?:staging|old)-(\d+)-[0-9a-f]{8}$/;

/**
 * Deletes staging and set-aside directories in `parent` left by writers that
 * died mid-write (killed; their pid is gone), so they do not pile up in the
 * output (and in Nx's cache of it). Those of live writers are left alone.
 * Returns the names removed.
 */
export function sweepOrphans(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const orphans = names.filter((name) => {
    const pid = Number(SIBLING.exec(name)?.[1]);
    return pid > 0 && !processAlive(pid);
  });
  for (const name of orphans) rmSync(join(parent, name), { recursive: true, force: true });
  return orphans;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
