import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CodeCacheState } from './code-cache.js';

/*
 * startup/code-cache.ts in real processes, as main.js uses it: each run is a
 * new Node process (test/support/load-code-cached.mjs) loading a small
 * CommonJS file from a temp dir, so a cache written by one run is read by the
 * next exactly as a pod reads the one the image build wrote.
 */
const DRIVER = fileURLToPath(new URL('../../test/support/load-code-cached.mjs', import.meta.url));
const run = promisify(execFile);

interface Outcome {
  returned?: unknown;
  threw?: { message: string; stack: string };
}

interface Report {
  cache?: CodeCacheState;
  exports?: Record<string, unknown>;
  events: unknown[];
  results: Record<string, Outcome>;
  loadError?: { message: string; stack: string };
}

/** Loads `file` in a new process, then runs `steps` (export names to call, or `save`); only PATH and `env` are set. */
async function load(file: string, steps: readonly string[] = [], env: Record<string, string> = {}): Promise<Report & { stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [DRIVER, file, ...steps], { env: { PATH: process.env.PATH ?? '', ...env } });
  return { ...(JSON.parse(stdout) as Report), stderr };
}

/** A module with a top-level side effect, a relative require, one small function, one large one and one that throws. */
const moduleSource = (tag: string) =>
  [
    "'use strict';",
    "globalThis.codeCacheEvents?.push('file ran');",
    "const helper = require('./helper.js');",
    "const { basename } = require('node:path');",
    'exports.dirname = __dirname;',
    'exports.filename = __filename;',
    'exports.base = basename(__filename);',
    'exports.fromHelper = helper.value;',
    'exports.thisIsExports = this === module.exports;',
    `exports.tag = function tag() { return '${tag}'; };`,
    'exports.work = function work() {',
    '  const words = [];',
    '  for (let i = 0; i < 3; i++) words.push(`compiled-only-when-work-runs-${i}`);',
    "  return words.map((word) => word.toUpperCase()).join(',');",
    '};',
    'exports.fail = function fail() {',
    "  if (helper.value) throw new Error('thrown by fail');",
    '};',
    '',
  ].join('\n');

const debugLine = (file: string, state: string) => new RegExp(`^RAG-API \\d+: code cache for ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${state}$`, 'm');

/** 1-based line and column of `text` in `source`. */
function positionOf(source: string, text: string): { line: number; column: number } {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in the fixture`);
  return { line: index + 1, column: lines[index]!.indexOf(text) + 1 };
}

describe('loadCodeCached (startup/code-cache.ts) in real processes', () => {
  let dir: string;
  let file: string;
  let cacheFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rag-api-code-cache-'));
    file = join(dir, 'module.js');
    cacheFile = `${file}.cache`;
    writeFileSync(join(dir, 'helper.js'), "exports.value = 'from helper.js';\n");
    writeFileSync(file, moduleSource('tag-AAAA'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the file as CommonJS: exports, this, __dirname, __filename and a require relative to the file', async () => {
    const report = await load(file, ['tag']);
    expect(report.loadError).toBeUndefined();
    expect(report.exports).toEqual({
      dirname: dir,
      filename: file,
      base: 'module.js',
      fromHelper: 'from helper.js',
      thisIsExports: true,
    });
    expect(report.results.tag).toEqual({ returned: 'tag-AAAA' });
  });

  it('returns module.exports as the file left it, also when the file replaced it', async () => {
    const replacing = join(dir, 'replacing.js');
    writeFileSync(replacing, "module.exports = { replaced: true, file: __filename };\nexports.lost = 'not on the new object';\n");
    expect((await load(replacing)).exports).toEqual({ replaced: true, file: replacing });
  });

  it('without a cache file: absent, and nothing is written unless asked', async () => {
    const report = await load(file, ['tag']);
    expect(report.cache).toBe('absent');
    expect(() => statSync(cacheFile)).toThrow(/ENOENT/);
  });

  it('a cache saved by one process is accepted by the next, and holds the functions the first run called', async () => {
    // Saved before work() ever ran: V8 compiles a function at its first call, so work's code is not in it.
    expect((await load(file, ['save'])).cache).toBe('absent');
    const beforeWork = readFileSync(cacheFile);
    const afterLoad = await load(file, ['work', 'save']);
    expect(afterLoad.cache).toBe('accepted');
    expect(afterLoad.results.work).toEqual({ returned: 'COMPILED-ONLY-WHEN-WORK-RUNS-0,COMPILED-ONLY-WHEN-WORK-RUNS-1,COMPILED-ONLY-WHEN-WORK-RUNS-2' });
    const afterWork = readFileSync(cacheFile);

    // The file starts with the SHA-256 of the source it was made from.
    const digest = createHash('sha256').update(readFileSync(file)).digest();
    expect(afterWork.subarray(0, 32).equals(digest)).toBe(true);
    // Made after work() ran: its compiled code (with its string constant) is in the cache, which is larger.
    expect(afterWork.length).toBeGreaterThan(beforeWork.length);
    expect(afterWork.includes('compiled-only-when-work-runs-')).toBe(true);
    expect(beforeWork.includes('compiled-only-when-work-runs-')).toBe(false);

    const next = await load(file, ['tag', 'work']);
    expect(next.cache).toBe('accepted');
    expect(next.results.tag).toEqual({ returned: 'tag-AAAA' });
    expect(next.results.work).toEqual(afterLoad.results.work);
  });

  it('a cache made for another source of the same length is stale and not given to V8: the new source runs', async () => {
    await load(file, ['tag', 'save']); // tag() compiled into the cache, returning 'tag-AAAA'
    writeFileSync(file, moduleSource('tag-BBBB'));
    expect(statSync(file).size).toBe(moduleSource('tag-AAAA').length);

    // Control: V8 alone knows the source only by its length and would take this cache, running the old tag().
    const control = await run(
      process.execPath,
      [
        '-e',
        [
          "const { readFileSync } = require('node:fs');",
          "const { Script } = require('node:vm');",
          'const [file] = process.argv.slice(1);',
          "const wrapped = '(function (exports, require, module, __filename, __dirname) {\\n' + readFileSync(file, 'utf8') + '\\n})';",
          "const script = new Script(wrapped, { filename: file, lineOffset: -1, cachedData: readFileSync(file + '.cache').subarray(32) });",
          'const module = { exports: {} };',
          "script.runInThisContext()(module.exports, require('node:module').createRequire(file), module, file, require('node:path').dirname(file));",
          'console.log(JSON.stringify({ rejected: script.cachedDataRejected, tag: module.exports.tag() }));',
        ].join('\n'),
        file,
      ],
      { env: { PATH: process.env.PATH ?? '' } },
    );
    expect(JSON.parse(control.stdout)).toEqual({ rejected: false, tag: 'tag-AAAA' });

    const report = await load(file, ['tag']);
    expect(report.cache).toBe('stale');
    expect(report.results.tag).toEqual({ returned: 'tag-BBBB' });
  });

  it("a cache with the source's digest but data V8 refuses is rejected, and the file still runs", async () => {
    await load(file, ['tag', 'save']);
    const corrupt = readFileSync(cacheFile);
    corrupt.fill(0, 32, 48); // V8's header (magic number, version and flag hashes): not data V8 made
    writeFileSync(cacheFile, corrupt);

    const report = await load(file, ['tag', 'work']);
    expect(report.cache).toBe('rejected');
    expect(report.results.tag).toEqual({ returned: 'tag-AAAA' });
    expect(report.results.work?.returned).toMatch(/^COMPILED-ONLY-WHEN-WORK-RUNS-0,/);
  });

  it("an error in the file names the file's own line and column (the wrapper line shifts neither)", async () => {
    const thrown = positionOf(moduleSource('tag-AAAA'), "new Error('thrown by fail')");
    const report = await load(file, ['fail']);
    expect(report.results.fail?.threw?.message).toBe('thrown by fail');
    expect(report.results.fail?.threw?.stack).toContain(`(${file}:${thrown.line}:${thrown.column})`);

    const failing = join(dir, 'throws-at-load.js');
    const source = "'use strict';\n\nconst ready = false;\nif (!ready) throw new Error('thrown while loading');\n";
    writeFileSync(failing, source);
    const atLoad = positionOf(source, "new Error('thrown while loading')");
    const loadFailure = await load(failing);
    expect(loadFailure.loadError?.message).toBe('thrown while loading');
    expect(loadFailure.loadError?.stack).toContain(`${failing}:${atLoad.line}:${atLoad.column}`);
  });

  it('NODE_DEBUG=rag-api prints which it was, on stderr; without it, nothing', async () => {
    expect((await load(file, ['save'], { NODE_DEBUG: 'rag-api' })).stderr).toMatch(debugLine(file, 'absent'));
    expect((await load(file, [], { NODE_DEBUG: 'rag-api' })).stderr).toMatch(debugLine(file, 'accepted'));
    writeFileSync(file, moduleSource('tag-BBBB'));
    expect((await load(file, [], { NODE_DEBUG: 'rag-api' })).stderr).toMatch(debugLine(file, 'stale \\(made for another build of the file: ignored\\)'));
    expect((await load(file)).stderr).not.toContain('code cache for');
  });

  it('publishes { file } on the rag-api:load-app channel before any of the file runs', async () => {
    const report = await load(file);
    expect(report.events).toEqual([{ 'rag-api:load-app': { file } }, 'file ran']);
  });
});
