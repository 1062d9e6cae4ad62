import { dirname, join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { tail, type Runner } from '@llmops-rag/platform';

/** The Nx project the loop rebuilds (the deploy's build phase runs its `docker` target). */
export const APP_PROJECT = 'rag-api';

/** What the loop watches: the files the app's bundle is made of, and the folders that hold them. */
export interface WatchSet {
  /** Absolute paths of every workspace source file the bundle reads (node_modules left out). */
  files: ReadonlySet<string>;
  /** The fewest folders that contain all of them (each watched recursively). */
  dirs: readonly string[];
}

/** The app's `build` target options that decide what the bundle reads. */
export interface BundleEntry {
  /** `main`, then `additionalEntryPoints` (rag-api's main.ts loads the app from app-bundle.ts's output at run time). */
  entryPoints: readonly string[];
  tsConfig: string;
}

/** `nx show project rag-api --json`: the entry points and tsconfig of its esbuild `build` target. */
export async function readBundleEntry(runner: Runner, root: string, nx: string, env: Readonly<Record<string, string | undefined>>): Promise<BundleEntry> {
  const result = await runner.run(nx, ['show', 'project', APP_PROJECT, '--json'], { cwd: root, env, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`\`nx show project ${APP_PROJECT} --json\` failed (exit ${result.code})\n${tail(result, 5)}`);
  type BuildOptions = { main?: string; additionalEntryPoints?: string[]; tsConfig?: string };
  const options = (JSON.parse(result.stdout) as { targets?: { build?: { options?: BuildOptions } } }).targets?.build?.options;
  if (!options?.main || !options.tsConfig)
    throw new Error(`${APP_PROJECT}'s build target has no main/tsConfig option: the loop cannot tell what the bundle reads`);
  return { entryPoints: [options.main, ...(options.additionalEntryPoints ?? [])], tsConfig: options.tsConfig };
}

/**
 * Third-party packages stay out (not watched, not read): a bare import is resolved the way the build resolves it
 * (tsconfig `paths` lead into the workspace's libraries) and left external when it lands in node_modules.
 */
function skipPackages(): Plugin {
  return {
    name: 'skip-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'skip-packages') return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'skip-packages' });
        if (resolved.errors.length > 0 || resolved.external || resolved.path.split(sep).includes('node_modules')) return { path: args.path, external: true };
        return resolved;
      });
    },
  };
}

/**
 * The watch set, from esbuild's metafile of the app's entry points resolved as its build resolves them (same tsconfig,
 * so `@llmops-rag/*` imports lead into the libraries): every input file, and the folders to watch for them.
 */
export async function deriveWatchSet(root: string, entry: BundleEntry): Promise<WatchSet> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [...entry.entryPoints],
    tsconfig: entry.tsConfig,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: join(root, 'tmp', 'dev-watch-set'),
    logLevel: 'silent',
    plugins: [skipPackages()],
  });
  const files = Object.keys(result.metafile.inputs)
    .filter((input) => !input.split('/').includes('node_modules') && !input.includes(':'))
    .map((input) => resolve(root, input));
  return { files: new Set(files), dirs: coveringDirs(files.map((file) => dirname(file))) };
}

/** The fewest folders containing all of `dirs`: nested ones fold into their ancestor. */
export function coveringDirs(dirs: readonly string[]): string[] {
  const sorted = [...new Set(dirs)].sort();
  const kept: string[] = [];
  for (const dir of sorted) if (!kept.some((k) => dir === k || dir.startsWith(k + sep))) kept.push(dir);
  return kept;
}

/** The watch set as one line: `38 files in apps/rag-api/src, libs/config/src, libs/contract/src`. */
export function describeWatchSet(set: WatchSet, root: string): string {
  return `${set.files.size} files in ${set.dirs.map((d) => relative(root, d) || '.').join(', ')}`;
}
