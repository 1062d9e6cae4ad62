import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { tail, type Runner } from '@llmops-rag/platform';

/** The Nx project the loop rebuilds (the deploy's build phase runs its `docker` target). */
export const APP_PROJECT = 'rag-api';

/** What the loop watches: the files the app's bundle is made of, the folders that hold them, and what needs the full loop. */
export interface WatchSet {
  /** Absolute paths of every workspace source file the bundle reads (node_modules left out), and of every file in `full`. */
  files: ReadonlySet<string>;
  /** The fewest folders that contain all of the sources (each watched with every folder under it). */
  dirs: readonly string[];
  /** Folders watched on their own, not their subfolders (the workspace root for package.json). */
  flatDirs?: readonly string[];
  /**
   * Files whose change needs the full loop (a new image, synth, a rollout), each with what it is: the manifests'
   * sources (what synth reads), the dependencies, the Dockerfile and the bundle's build settings. A file both the
   * bundle and synth read is here too: the manifests may change with it.
   */
  full?: ReadonlyMap<string, string>;
}

/** The app's `build` target options that decide what the bundle reads and how it is built (@nx/esbuild's). */
export interface BundleEntry {
  /** `main`, then `additionalEntryPoints` (rag-api's main.ts loads the app from app-bundle.ts's output at run time). */
  entryPoints: readonly string[];
  tsConfig: string;
  /** The rest of the target's options, as `nx show project` gives them (outputPath, esbuildConfig, platform, …). */
  options?: Readonly<Record<string, unknown>>;
}

/** `nx show project rag-api --json`: the entry points and tsconfig of its esbuild `build` target, and its other options. */
export async function readBundleEntry(runner: Runner, root: string, nx: string, env: Readonly<Record<string, string | undefined>>): Promise<BundleEntry> {
  const result = await runner.run(nx, ['show', 'project', APP_PROJECT, '--json'], { cwd: root, env, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`\`nx show project ${APP_PROJECT} --json\` failed (exit ${result.code})\n${tail(result, 5)}`);
  type BuildOptions = { main?: string; additionalEntryPoints?: string[]; tsConfig?: string; [option: string]: unknown };
  const options = (JSON.parse(result.stdout) as { targets?: { build?: { options?: BuildOptions } } }).targets?.build?.options;
  if (!options?.main || !options.tsConfig)
    throw new Error(`${APP_PROJECT}'s build target has no main/tsConfig option: the loop cannot tell what the bundle reads`);
  return { entryPoints: [options.main, ...(options.additionalEntryPoints ?? [])], tsConfig: options.tsConfig, options };
}

/** How `nx run k8s-manifests:synth` runs (libs/k8s-manifests/project.json), for the dev profile only. */
export const SYNTH = {
  entry: 'libs/k8s-manifests/src/cmd/synth.ts',
  tsConfig: 'libs/k8s-manifests/tsconfig.json',
  out: 'dist/k8s',
  profile: 'dev',
} as const;

/** Files outside the sources whose change needs the full loop, relative to the root, with what each is. */
function buildFiles(entry: BundleEntry): [string, string][] {
  const options = entry.options ?? {};
  const appRoot = dirname(dirname(entry.entryPoints[0] ?? 'apps/x/src/main.ts'));
  return [
    ['package.json', 'a dependency change'],
    ['package-lock.json', 'a dependency change'],
    ['.dockerignore', 'the image build'],
    [join(appRoot, 'Dockerfile'), 'the image build'],
    [join(appRoot, 'project.json'), "the bundle's build settings"],
    [entry.tsConfig, "the bundle's build settings"],
    ...(typeof options.esbuildConfig === 'string' ? ([[options.esbuildConfig, "the bundle's build settings"]] as [string, string][]) : []),
  ];
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

/** Every workspace file the bundle of `entryPoints` reads (esbuild's metafile, third-party packages left out). */
async function inputsOf(root: string, entryPoints: readonly string[], tsconfig: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [...entryPoints],
    tsconfig,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: join(root, 'tmp', 'dev-watch-set'),
    logLevel: 'silent',
    plugins: [skipPackages()],
  });
  return Object.keys(result.metafile.inputs)
    .filter((input) => !input.split('/').includes('node_modules') && !input.includes(':'))
    .map((input) => resolve(root, input));
}

/**
 * The watch set, from esbuild's metafile of the app's entry points resolved as its build resolves them (same tsconfig,
 * so `@llmops-rag/*` imports lead into the libraries): every input file, and the folders to watch for them. Plus what
 * needs the full loop: synth's inputs (the same way, from its entry), the dependency and image-build files. When synth's
 * entry does not bundle (or is not there), its sources are left out: a change there is then not seen.
 */
export async function deriveWatchSet(root: string, entry: BundleEntry): Promise<WatchSet> {
  const sources = await inputsOf(root, entry.entryPoints, entry.tsConfig);
  const synthInputs = existsSync(join(root, SYNTH.entry)) ? await inputsOf(root, [SYNTH.entry], SYNTH.tsConfig).catch(() => []) : [];
  const full = new Map<string, string>();
  for (const file of synthInputs) full.set(file, 'a manifest source (synth reads it)');
  for (const [file, what] of buildFiles(entry)) full.set(resolve(root, file), what);
  const flatDirs = [...new Set([...full.keys()].filter((f) => !synthInputs.includes(f)).map((f) => dirname(f)))].sort();
  return {
    files: new Set([...sources, ...full.keys()]),
    dirs: coveringDirs([...sources, ...synthInputs].map((file) => dirname(file))),
    flatDirs,
    full,
  };
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
  const live = set.files.size - (set.full?.size ?? 0);
  const full = set.full?.size ? ` (+ ${set.full.size} that need the full loop: manifest sources, dependencies, image build)` : '';
  return `${live} files in ${set.dirs.map((d) => relative(root, d) || '.').join(', ')}${full}`;
}
