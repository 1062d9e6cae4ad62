import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Fastify alone, bundled into `dir` with the given esbuild plugins (the app's start-up plugins in the tests) as an
 * ES module (`require` from createRequire) so the test can import it: `make(options)` is `Fastify(options)`.
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
