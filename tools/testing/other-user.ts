import { spawnSync } from 'node:child_process';
import { chmodSync, constants, copyFileSync, cpSync, linkSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** nobody/nogroup on Debian and most Linux distributions: no files of its own, no groups. */
export const NOBODY = 65534;

/** A folder another user can enter and read, with a Node binary it can run: where a test runs a program as that user. */
export interface OtherUserFolder {
  uid: number;
  gid: number;
  dir: string;
  /** This process's Node binary, as a path that user can execute. */
  node: string;
  /** Copies a file or folder of the checkout into `dir`, readable by that user; returns the copy's path. */
  copyIn(path: string): string;
  remove(): void;
}

export type OtherUserSetup = { ok: true; folder: OtherUserFolder } | { ok: false; reason: string };

/**
 * For a test that must run a program as another user (root can read any file and bind any port, so a refusal is only
 * met as someone else): a fresh folder under the temp dir holding this Node binary, because that user cannot reach
 * the checkout's copy when the checkout is private (a 0700 `mktemp -d`, a home folder). Not ok, with the reason, when
 * this process cannot switch users (it is not root) or when that user cannot run Node there (checked by running it).
 */
export function folderForUser(uid: number = NOBODY, gid: number = uid): OtherUserSetup {
  if (process.getuid?.() !== 0) return { ok: false, reason: `only root can run a process as uid ${uid}; this process is uid ${process.getuid?.()}` };
  const dir = mkdtempSync(join(tmpdir(), `as-uid-${uid}-`));
  chmodSync(dir, 0o755);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const node = join(dir, 'node');
  placeNode(node);
  const copyIn = (path: string) => {
    const copy = join(dir, basename(path));
    cpSync(path, copy, { recursive: true });
    openToOthers(copy);
    return copy;
  };
  const probe = spawnSync(node, ['-e', ''], { cwd: dir, uid, gid, env: {}, encoding: 'utf8', timeout: 15_000 });
  if (probe.error || probe.status !== 0) {
    remove();
    const why = probe.error?.message ?? `exit ${probe.status}: ${probe.stderr.trim().split('\n').pop()}`;
    return { ok: false, reason: `uid ${uid} cannot run Node from ${dir} (${why}); is ${tmpdir()} open to other users (mode 1777) and not mounted noexec?` };
  }
  return { ok: true, folder: { uid, gid, dir, node, copyIn, remove } };
}

/** A hard link when the binary is already executable by anyone (instant; 120 MB otherwise), else a copy opened up. */
function placeNode(target: string): void {
  const source = process.execPath;
  if ((statSync(source).mode & 0o005) === 0o005) {
    try {
      linkSync(source, target);
      return;
    } catch {
      // another file system (EXDEV) or links refused: copy instead
    }
  }
  copyFileSync(source, target, constants.COPYFILE_FICLONE);
  chmodSync(target, 0o755);
}

/** a+r on files, a+rx on folders and executables (a checkout made under umask 077 has none of these); links left as they are. */
function openToOthers(path: string): void {
  const inside = lstatSync(path).isDirectory() ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((p) => join(path, p)) : [];
  for (const p of [path, ...inside]) {
    const stats = lstatSync(p);
    if (stats.isSymbolicLink()) continue;
    const searchable = stats.isDirectory() || (stats.mode & 0o100) !== 0;
    chmodSync(p, (stats.mode & 0o7777) | 0o444 | (searchable ? 0o111 : 0));
  }
}
