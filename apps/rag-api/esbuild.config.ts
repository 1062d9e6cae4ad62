import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

/**
 * esbuild settings for the rag-api bundle (used by the @nx/esbuild executor).
 *
 * - The bundle is ESM with third-party code inlined; CommonJS dependencies
 *   (avvio, swagger-ui) still call `require`, `__dirname` and `__filename`, so
 *   the banner defines them from import.meta.url.
 * - Swagger UI serves static files from disk; they are copied next to main.js
 *   (the docs plugin finds them there). The executor's `assets` option can't
 *   copy from git-ignored node_modules, hence this plugin.
 */
const banner = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __pathDirname } from 'node:path';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join(' ');

function copySwaggerUiStatic(): Plugin {
  return {
    name: 'copy-swagger-ui-static',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        const outdir = build.initialOptions.outdir ?? dirname(build.initialOptions.outfile ?? '.');
        const require = createRequire(import.meta.url);
        const source = join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
        if (!existsSync(source)) throw new Error(`swagger-ui static files not found at ${source}`);
        cpSync(source, join(outdir, 'static'), { recursive: true });
      });
    },
  };
}

export default {
  logLevel: 'warning',
  legalComments: 'none',
  banner: { js: banner },
  plugins: [copySwaggerUiStatic()],
} satisfies BuildOptions;
