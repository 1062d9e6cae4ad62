import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderForUser, NOBODY } from '@llmops-rag/workspace-tools';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DotEnvFileError, MAX_DOT_ENV_BYTES, readDotEnvFile } from './dot-env-file.js';
import { readDotEnv } from './dot-env.js';

const dir = mkdtempSync(join(tmpdir(), 'dot-env-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = 'sk-proj-0123456789abcdefSECRET';

/**
 * The refusal message for `path` as a user who may not read it: this process when it is not root, else a child
 * process as `nobody` (root may read anything, so the check would never be met). That child runs a bundle of
 * dot-env-file.ts and Node itself from a folder nobody can read, not from the checkout, which may be private
 * (a 0700 `mktemp -d`); the test is skipped, with the reason printed, when nobody cannot run Node on this machine.
 */
function refusalAsNonRoot(path: string, skip: (reason: string) => never): string {
  if (process.getuid?.() !== 0) return refusal(path).message;
  const setup = folderForUser(NOBODY);
  if (!setup.ok) {
    console.warn(`SKIPPED the unreadable-file check as nobody: ${setup.reason}`);
    return skip(setup.reason);
  }
  const { folder } = setup;
  try {
    buildSync({
      entryPoints: [fileURLToPath(new URL('./dot-env-file.ts', import.meta.url))],
      outfile: join(folder.dir, 'dot-env-file.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
    });
    writeFileSync(
      join(folder.dir, 'probe.mjs'),
      `import { readDotEnvFile } from './dot-env-file.mjs';
      try { readDotEnvFile(process.argv[2]); process.stdout.write('accepted'); } catch (error) { process.stdout.write(error.message); }`,
    );
    const run = spawnSync(folder.node, [join(folder.dir, 'probe.mjs'), path], {
      cwd: folder.dir,
      uid: folder.uid,
      gid: folder.gid,
      encoding: 'utf8',
      env: {},
      timeout: 15_000,
    });
    if (run.error || run.status !== 0) throw new Error(`the probe as nobody failed: ${run.error?.message ?? `exit ${run.status}\n${run.stderr}`}`);
    return run.stdout;
  } finally {
    folder.remove();
  }
}

function refusal(path: string): DotEnvFileError {
  try {
    readDotEnvFile(path);
  } catch (error) {
    if (error instanceof DotEnvFileError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe('readDotEnvFile: only a readable regular UTF-8 file is read', () => {
  it('reads a regular file, and a symlink to one; a missing file is no .env', () => {
    const file = join(dir, 'plain.env');
    writeFileSync(file, `OPENAI_API_KEY=${SECRET}\n`);
    symlinkSync(file, join(dir, 'link.env'));
    expect(readDotEnvFile(file)).toBe(`OPENAI_API_KEY=${SECRET}\n`);
    expect(readDotEnvFile(join(dir, 'link.env'))).toBe(`OPENAI_API_KEY=${SECRET}\n`);
    expect(readDotEnvFile(join(dir, 'missing.env'))).toBeUndefined();
  });

  it('refuses a directory, naming the path', () => {
    const path = join(dir, 'dir.env');
    mkdirSync(path);
    const error = refusal(path);
    expect(error.message).toBe(`${path} is a directory, not a file\nfix: move the directory away; .env must be a file of KEY=VALUE lines (see .env.example)`);
    expect(error.asProblem()).toEqual({ thing: '.env', problem: `${path} is a directory, not a file`, fix: error.fix });
  });

  it('refuses a dangling symlink, naming the link and its target', () => {
    const path = join(dir, 'dangling.env');
    symlinkSync('secrets/gone.env', path);
    expect(refusal(path).message).toBe(
      `${path} is a symbolic link to secrets/gone.env, which does not exist\nfix: create ${join(dir, 'secrets/gone.env')}, or remove the link (rm ${path})`,
    );
  });

  it('refuses a symlink loop and a symlink to a directory', () => {
    symlinkSync(join(dir, 'loop-b.env'), join(dir, 'loop-a.env'));
    symlinkSync(join(dir, 'loop-a.env'), join(dir, 'loop-b.env'));
    expect(refusal(join(dir, 'loop-a.env')).problem).toBe(`is a symbolic link to ${join(dir, 'loop-b.env')}, which loops back on itself`);
    symlinkSync(tmpdir(), join(dir, 'to-dir.env'));
    expect(refusal(join(dir, 'to-dir.env')).problem).toBe('is a directory, not a file');
  });

  it('refuses a socket and a character device without opening them', async () => {
    const socketPath = join(dir, 'socket.env');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect(refusal(socketPath).problem).toBe('is a socket, not a regular file (not opened: reading it could block)');
    } finally {
      server.close();
    }
    symlinkSync('/dev/zero', join(dir, 'zero.env'));
    expect(refusal(join(dir, 'zero.env')).problem).toBe('is a character device, not a regular file (not opened: reading it could block)');
  });

  it('refuses bytes that are not UTF-8, naming the line; UTF-16 by name', () => {
    const latin1 = join(dir, 'latin1.env');
    writeFileSync(latin1, Buffer.concat([Buffer.from('A=1\nB=2\nC=caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(refusal(latin1).problem).toBe('is not UTF-8 text: line 3 has bytes that are not UTF-8 (binary data, or saved as Latin-1?)');
    const utf16 = join(dir, 'utf16.env');
    writeFileSync(utf16, Buffer.from('\uFEFFA=1\n', 'utf16le'));
    expect(refusal(utf16).problem).toBe('is UTF-16 text, not UTF-8');
  });

  it('refuses a file far bigger than any .env', () => {
    const big = join(dir, 'big.env');
    writeFileSync(big, Buffer.alloc(MAX_DOT_ENV_BYTES + 1, 0x41));
    expect(refusal(big).problem).toMatch(/^is 1048577 bytes, more than the 1048576/);
  });

  it('refuses a file it may not read, with a fix that survives a space in the path', (context) => {
    const shared = mkdtempSync(join(tmpdir(), 'dot-env unreadable-'));
    chmodSync(shared, 0o755);
    const path = join(shared, 'unreadable.env');
    writeFileSync(path, 'A=1\n');
    chmodSync(path, 0o000);
    try {
      expect(refusalAsNonRoot(path, (reason) => context.skip(reason))).toBe(
        `${path} is not readable by this user (permission denied)\nfix: chmod u+r '${path}'`,
      );
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});

describe('readDotEnv', () => {
  it('hands each warning to the caller and returns the values', () => {
    const path = join(dir, 'warned.env');
    writeFileSync(path, `\uFEFFOPENAI_API_KEY=${SECRET}\nnot a pair\n`);
    const warnings: string[] = [];
    expect(readDotEnv(path, (w) => warnings.push(w))).toEqual({ OPENAI_API_KEY: SECRET });
    expect(warnings).toEqual([`${path}:2: not KEY=VALUE (no "="): line ignored; write KEY=VALUE or start a comment with #`]);
  });
});
