import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { context, type BuildContext, type BuildOptions } from 'esbuild';
import { tsImport } from 'tsx/esm/api';
import type { BundleEntry } from './watch-set.js';

/** The app's output folder (the build target's `outputPath`): what the image copies. */
export function bundleOutputPath(entry: BundleEntry): string {
  const outputPath = entry.options?.outputPath;
  if (typeof outputPath !== 'string') throw new Error(`the app's build target has no outputPath: the loop cannot tell where its bundle goes`);
  return outputPath;
}

/** The esbuildConfig module's options, loaded once per change of the file (it is a build setting: the full loop reloads it). */
const configs = new Map<string, { mtimeMs: number; options: BuildOptions }>();
async function userOptions(root: string, entry: BundleEntry): Promise<BuildOptions> {
  const file = entry.options?.esbuildConfig;
  if (typeof file !== 'string') return {};
  const path = join(root, file);
  const mtimeMs = statSync(path).mtimeMs;
  const cached = configs.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached.options;
  // As @nx/esbuild loads it: the module's default export. Through tsx (TypeScript, the workspace's paths).
  const loaded = (await tsImport(`${pathToFileURL(path).href}?t=${mtimeMs}`, import.meta.url)) as { default?: BuildOptions | { default?: BuildOptions } };
  const options = ((loaded.default as { default?: BuildOptions } | undefined)?.default ?? loaded.default ?? {}) as BuildOptions;
  configs.set(path, { mtimeMs, options });
  return options;
}

/**
 * esbuild's options exactly as @nx/esbuild's executor makes them for a bundling build target (buildEsbuildOptions of
 * @nx/esbuild 22/23, `bundle: true`, one format): the esbuildConfig module's options, then the target's own, the
 * entry points `main` + `additionalEntryPoints`, into `outdir` (the target's outputPath unless the loop builds elsewhere).
 */
export async function appBuildOptions(root: string, entry: BundleEntry, outdir = bundleOutputPath(entry)): Promise<BuildOptions> {
  const target = entry.options ?? {};
  const user = await userOptions(root, entry);
  const format = (Array.isArray(target.format) ? target.format[0] : target.format) as BuildOptions['format'] | undefined;
  const userExt = user.outExtension?.['.js'];
  const outExtension = format === 'esm' ? (userExt === '.mjs' ? '.mjs' : '.js') : userExt === '.js' ? '.js' : '.cjs';
  return {
    ...user,
    absWorkingDir: root,
    entryNames: target.outputHashing === 'all' ? '[dir]/[name].[hash]' : '[dir]/[name]',
    bundle: (target.bundle as boolean | undefined) ?? true,
    external: [...(user.external ?? []), ...((target.external as string[] | undefined) ?? [])],
    ...(target.minify !== undefined ? { minify: target.minify as boolean } : {}),
    platform: (target.platform as BuildOptions['platform']) ?? 'node',
    ...(target.target !== undefined ? { target: target.target as string } : {}),
    tsconfig: join(root, entry.tsConfig),
    sourcemap: ((target.sourcemap ?? user.sourcemap) as BuildOptions['sourcemap']) || false,
    format: format ?? 'esm',
    outExtension: { '.js': outExtension },
    outdir: resolve(root, outdir),
    entryPoints: [...entry.entryPoints],
  };
}

/** One esbuild context per output folder, kept while its options stay the same: a rebuild re-reads only what changed. */
const contexts = new Map<string, { key: string; context: BuildContext }>();

/** Ends the kept esbuild contexts (the loop stops). */
export async function disposeBundlers(): Promise<void> {
  const all = [...contexts.values()];
  contexts.clear();
  await Promise.all(all.map((c) => c.context.dispose()));
}

/**
 * The app's bundle, built in this process with esbuild's API and the build target's options (no Nx process start, no
 * task hashing), incrementally: the context of the last build to the same folder is kept, so unchanged files are not
 * parsed again. Into the target's outputPath for the full loop (the image copies it), or into `outdir` for the live
 * path. The esbuildConfig's own plugins run as under Nx (rag-api's publishes the output with its static files in one
 * swap under the image build lock). Throws esbuild's first errors, as the build prints them.
 */
export async function bundleApp(
  root: string,
  entry: BundleEntry,
  outdir?: string,
  change: { sourcemap?: false } = {},
): Promise<{ outdir: string; ms: number }> {
  const started = performance.now();
  const options = { ...(await appBuildOptions(root, entry, outdir)), ...change };
  const written = options.outdir as string;
  const key =
    JSON.stringify({ ...options, plugins: (options.plugins ?? []).map((p) => p.name) }) +
    String(configs.get(join(root, String(entry.options?.esbuildConfig)))?.mtimeMs);
  let kept = contexts.get(written);
  if (kept?.key !== key) {
    await kept?.context.dispose();
    kept = { key, context: await context({ ...options, logLevel: 'silent' }) };
    contexts.set(written, kept);
  }
  await kept.context.rebuild().catch((error: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = (error.errors ?? []).slice(0, 3).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
    throw new Error(`the bundle does not build:\n${first.map((l) => `    ${l}`).join('\n') || `    ${String(error)}`}`);
  });
  if (!existsSync(written)) throw new Error(`esbuild reported success but ${written} is missing`);
  return { outdir: written, ms: performance.now() - started };
}
