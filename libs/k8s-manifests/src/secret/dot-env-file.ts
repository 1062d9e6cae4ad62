import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { shellQuote } from '@llmops-rag/platform';

/** A `.env` that cannot be used: which file, what is wrong with it, how to fix it. Never carries file content. */
export class DotEnvFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${path} ${problem}\nfix: ${fix}`);
    this.name = 'DotEnvFileError';
  }

  /** As a preflight problem: `✗ .env: <path> is a directory, not a file` + the fix. */
  asProblem(): { thing: string; problem: string; fix: string } {
    return { thing: '.env', problem: `${this.path} ${this.problem}`, fix: this.fix };
  }
}

/** Far above any file of KEY=VALUE lines; a bigger `.env` is the wrong file. */
export const MAX_DOT_ENV_BYTES = 1024 * 1024;

const REGULAR_FILE_FIX = 'replace it with a regular file of KEY=VALUE lines (see .env.example), or remove it';

/**
 * The text of the `.env` at `path`, or undefined when there is none.
 * Checked before it is read: it must be a regular file (a directory, FIFO,
 * socket or device is refused without opening it, so a FIFO can't hang the
 * deploy; a symlink must point at an existing regular file), readable, at
 * most 1 MiB and UTF-8.
 */
export function readDotEnvFile(path: string): string | undefined {
  let entry: Stats;
  try {
    entry = lstatSync(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw new DotEnvFileError(path, `cannot be examined (${code(error) ?? (error as Error).message})`, `check the permissions of ${dirname(path)}`);
  }
  const stats = entry.isSymbolicLink() ? followLink(path) : entry;
  refuseUnlessRegular(path, stats);
  if (stats.size > MAX_DOT_ENV_BYTES) {
    throw new DotEnvFileError(
      path,
      `is ${stats.size} bytes, more than the ${MAX_DOT_ENV_BYTES} a file of KEY=VALUE lines could need`,
      'point .env at the right file',
    );
  }
  const bytes = readRegularFile(path);
  return decodeUtf8(path, bytes);
}

function followLink(path: string): Stats {
  const target = readlinkSync(path);
  try {
    return statSync(path);
  } catch (error) {
    const absolute = resolve(dirname(path), target);
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') {
      throw new DotEnvFileError(
        path,
        `is a symbolic link to ${target}, which does not exist`,
        `create ${absolute}, or remove the link (rm ${shellQuote(path)})`,
      );
    }
    if (code(error) === 'ELOOP')
      throw new DotEnvFileError(path, `is a symbolic link to ${target}, which loops back on itself`, `remove the link (rm ${shellQuote(path)})`);
    throw new DotEnvFileError(path, `is a symbolic link to ${target}, which cannot be examined (${code(error)})`, `check the permissions of ${absolute}`);
  }
}

function refuseUnlessRegular(path: string, stats: Stats): void {
  if (stats.isFile()) return;
  if (stats.isDirectory())
    throw new DotEnvFileError(path, 'is a directory, not a file', `move the directory away; .env must be a file of KEY=VALUE lines (see .env.example)`);
  const kind = stats.isFIFO()
    ? 'named pipe (FIFO)'
    : stats.isSocket()
      ? 'socket'
      : stats.isCharacterDevice()
        ? 'character device'
        : stats.isBlockDevice()
          ? 'block device'
          : 'special file';
  throw new DotEnvFileError(path, `is a ${kind}, not a regular file (not opened: reading it could block)`, REGULAR_FILE_FIX);
}

/** Opened non-blocking and checked again on the open descriptor, so a file swapped for a FIFO meanwhile cannot hang. */
function readRegularFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    if (code(error) === 'EACCES' || code(error) === 'EPERM') {
      throw new DotEnvFileError(path, 'is not readable by this user (permission denied)', `chmod u+r ${shellQuote(path)}`);
    }
    throw new DotEnvFileError(path, `cannot be opened (${code(error) ?? (error as Error).message})`, `check that ${path} is a readable file`);
  }
  try {
    refuseUnlessRegular(path, fstatSync(fd));
    return readFileSync(fd);
  } catch (error) {
    if (error instanceof DotEnvFileError) throw error;
    throw new DotEnvFileError(path, `cannot be read (${code(error) ?? (error as Error).message})`, `check that ${path} is a readable file`);
  } finally {
    closeSync(fd);
  }
}

function decodeUtf8(path: string, bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DotEnvFileError(path, 'is UTF-16 text, not UTF-8', 'save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)');
  }
  let line = 1;
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); ; nl = bytes.indexOf(0x0a, start)) {
    const end = nl === -1 ? bytes.length : nl;
    if (!isUtf8(bytes.subarray(start, end))) break;
    if (nl === -1) break;
    start = nl + 1;
    line++;
  }
  throw new DotEnvFileError(
    path,
    `is not UTF-8 text: line ${line} has bytes that are not UTF-8 (binary data, or saved as Latin-1?)`,
    'save it as UTF-8 and remove any binary data',
  );
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
