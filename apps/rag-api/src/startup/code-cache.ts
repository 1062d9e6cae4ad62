/*
 * Loads a bundled CommonJS file with a V8 code cache made after a run of it
 * (vm.Script#createCachedData), so a start reads compiled code for every
 * function that run compiled instead of compiling them again. Node's own
 * compile cache (NODE_COMPILE_CACHE) cannot do this: it is made when a file
 * is compiled, before it runs, so it holds only the functions V8 compiles
 * eagerly; everything Fastify, pino and zod call while starting was compiled
 * afresh at every start (npm run bench:http, issue 11).
 *
 * The cache file is `<file>.cache`: the SHA-256 of the source it was made
 * from, then V8's data. V8 checks its own version and flags but knows the
 * source only by its length, so the digest is what keeps a cache made for
 * another build from being used. Any mismatch, or V8 refusing the data, just
 * compiles the file as usual. `NODE_DEBUG=rag-api` prints which it was.
 *
 * Keep this module free of imports: main.ts installs the start-up signal
 * handler before anything heavy runs, and Node's built-ins load on first use.
 */

/** What happened to the code cache when the file was loaded. */
export type CodeCacheState = 'accepted' | 'rejected' | 'stale' | 'absent';

export interface CodeCachedModule<T> {
  /** The file's `module.exports`. */
  readonly exports: T;
  readonly cache: CodeCacheState;
  /** Where the cache is read from and written to: `<file>.cache`. */
  readonly cacheFile: string;
  /** Writes `<file>.cache` from everything compiled so far: call it after a representative run. */
  saveCodeCache(): void;
}

/** Published before the file is compiled (tests send a signal there: the app's code is loading). */
export const LOAD_CHANNEL = 'rag-api:load-app';

const DIGEST_BYTES = 32;
/** The CommonJS wrapper, on a line of its own so the file's line numbers stay its own (lineOffset -1). */
const WRAPPER = '(function (exports, require, module, __filename, __dirname) {\n';

const builtin = <T>(id: string): T => process.getBuiltinModule(id) as T;

/** Runs `file` (a CommonJS module, e.g. esbuild's `format: 'cjs'` output) with its code cache, if valid. */
export function loadCodeCached<T>(file: string): CodeCachedModule<T> {
  const fs = builtin<typeof import('node:fs')>('node:fs');
  const vm = builtin<typeof import('node:vm')>('node:vm');
  const { createRequire } = builtin<typeof import('node:module')>('node:module');
  const { dirname } = builtin<typeof import('node:path')>('node:path');
  const debug = builtin<typeof import('node:util')>('node:util').debuglog('rag-api');

  const source = fs.readFileSync(file);
  const cacheFile = `${file}.cache`;
  let stored: Buffer | undefined;
  try {
    stored = fs.readFileSync(cacheFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Hashed only when there is a cache to check (or one is saved): a start without one does not pay for it.
  const sha256 = () => builtin<typeof import('node:crypto')>('node:crypto').createHash('sha256').update(source).digest();
  const digest = stored === undefined ? undefined : sha256();
  const fresh = stored !== undefined && stored.length > DIGEST_BYTES && digest?.equals(stored.subarray(0, DIGEST_BYTES)) === true;

  builtin<typeof import('node:diagnostics_channel')>('node:diagnostics_channel').channel(LOAD_CHANNEL).publish({ file });
  const script = new vm.Script(`${WRAPPER}${source.toString('utf8')}\n})`, {
    filename: file,
    lineOffset: -1,
    ...(fresh ? { cachedData: stored?.subarray(DIGEST_BYTES) } : {}),
  });
  const cache: CodeCacheState = stored === undefined ? 'absent' : !fresh ? 'stale' : script.cachedDataRejected ? 'rejected' : 'accepted';
  debug('code cache for %s: %s%s', file, cache, cache === 'stale' ? ' (made for another build of the file: ignored)' : '');

  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    cache,
    cacheFile,
    saveCodeCache() {
      fs.writeFileSync(cacheFile, Buffer.concat([digest ?? sha256(), script.createCachedData()]));
    },
  };
}
