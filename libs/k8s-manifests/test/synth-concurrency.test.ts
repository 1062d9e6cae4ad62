import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KUSTOMIZATION_FILE } from '../src/synth/write-profile.js';

const root = resolve(import.meta.dirname, '../../..');
const ENV = { AWS_ACCOUNT_ID: '123456789012' };
const PROFILES = ['dev', 'prod'];

interface Run {
  status: number | null;
  stderr: string;
}

/** The synth command (what `nx run k8s-manifests:synth` runs), as a child process. */
function startSynth(out: string): Promise<Run> {
  const { AWS_ACCOUNT_ID: _a, RAG_API_IMAGE: _i, ...base } = process.env;
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['--tsconfig', 'libs/k8s-manifests/tsconfig.json', 'libs/k8s-manifests/src/cmd/synth.ts', '--out', out],
    { cwd: root, env: { ...base, ...ENV }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (status) => done({ status, stderr })));
}

/** Every file of a profile directory with its content. */
function readProfile(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

interface Tally {
  looks: number;
  absent: number;
  replacedWhileReading: number;
  halfWritten: string[];
}

/**
 * What readers of `<out>/<profile>` see, against the complete expected
 * directory. Two readers: `ls` + read each file (kubectl apply -f), and
 * kustomization.yaml + the files it lists (kubectl apply -k). A listing that is
 * not exactly the expected files, or a file whose bytes are not the expected
 * ones, is a half-written directory. Counted, not failed: no directory (the
 * instant between two renames), and a directory replaced while it was being
 * read (the path held another inode afterwards, so the reader had the one moved
 * aside and being deleted; reading the path again gives a complete one).
 */
function observe(out: string, expected: Record<string, Record<string, string>>, tally: Tally): void {
  for (const profile of PROFILES) {
    const dir = join(out, profile);
    const want = expected[profile]!;
    let inode: number;
    let listing: string[];
    let kustomization: string;
    try {
      inode = statSync(dir).ino;
      listing = readdirSync(dir).sort();
      kustomization = readFileSync(join(dir, KUSTOMIZATION_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      tally.absent++;
      continue;
    }
    tally.looks++;
    const files: Record<string, string> = {};
    for (const file of new Set([...listing, ...((parse(kustomization) as { resources?: string[] }).resources ?? [])])) {
      try {
        files[file] = readFileSync(join(dir, file), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const replaced = (() => {
      try {
        return statSync(dir).ino !== inode;
      } catch {
        return true;
      }
    })();
    const problems = [
      ...(listing.join() === Object.keys(want).join()
        ? []
        : [`${profile}/ listed ${listing.length} of ${Object.keys(want).length} files: ${listing.join(', ')}`]),
      ...Object.keys(want)
        .filter((file) => files[file] !== want[file])
        .map((file) => `${profile}/${file}: ${files[file]?.length ?? 'no'} of ${want[file]!.length} bytes`),
    ];
    if (problems.length === 0) continue;
    if (replaced) tally.replacedWhileReading++;
    else tally.halfWritten.push(...problems);
  }
}

describe('concurrent synths into one output directory (issue 10 item 7)', () => {
  it('three at once, three rounds: all succeed, and a reader never sees a half-written profile directory', async () => {
    const reference = mkdtempSync(join(tmpdir(), 'k8s-synth-reference-'));
    const first = await startSynth(reference);
    expect(first.stderr).toBe('');
    const expected = Object.fromEntries(PROFILES.map((p) => [p, readProfile(join(reference, p))]));

    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-concurrent-'));
    cpSync(reference, out, { recursive: true }); // readers start from a complete earlier run
    const tally: Tally = { looks: 0, absent: 0, replacedWhileReading: 0, halfWritten: [] };
    const runs: Run[] = [];
    for (let round = 0; round < 3; round++) {
      let finished = false;
      const round$ = Promise.all([startSynth(out), startSynth(out), startSynth(out)]).finally(() => (finished = true));
      while (!finished) {
        observe(out, expected, tally);
        await nextTurn();
      }
      runs.push(...(await round$));
    }
    console.log(
      `reader: ${tally.looks} directory reads, ${tally.absent} found no directory (between two renames), ${tally.replacedWhileReading} replaced while being read, ${tally.halfWritten.length} half-written`,
    );

    expect(runs.map((r) => ({ status: r.status, stderr: r.stderr }))).toEqual(Array(9).fill({ status: 0, stderr: '' }));
    expect(tally.halfWritten.slice(0, 5)).toEqual([]);
    expect(tally.looks).toBeGreaterThan(100);
    expect(readdirSync(out).sort()).toEqual(PROFILES); // no staging or set-aside directories left behind
    for (const profile of PROFILES) expect(readProfile(join(out, profile))).toEqual(expected[profile]);
  }, 120_000);
});
