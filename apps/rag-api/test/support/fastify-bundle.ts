import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Fastify alone, bundled into `dir` the way the app's bundle is built (ESM for node, `require` from
 * createRequire) with the given esbuild plugins, and imported: `make(options)` is `Fastify(options)`.
 */
export async function bundledFastify<T>(dir: string, plugins: Plugin[]): Promise<(options: object) => T> {
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, "import Fastify from 'fastify';\nexport const make = (options) => Fastify(options);\n");
  const outfile = join(dir, 'fastify.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    nodePaths: [join(import.meta.dirname, '../../../../node_modules')],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins,
    logLevel: 'error',
  });
  return ((await import(pathToFileURL(outfile).href)) as { make: (options: object) => T }).make;
}
