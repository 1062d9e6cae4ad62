import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { tsImport } from 'tsx/esm/api';

/**
 * esbuild settings for the rag-api bundle (used by the @nx/esbuild executor).
 *
 * - Three CommonJS files with third-party code inlined: main.js (the process
 *   entry: the start-up signal handler, then the app), app-bundle.js (the app,
 *   which main.js loads with its V8 code cache, startup/code-cache.ts) and
 *   prime-code-cache.js (the image build runs it to make that cache).
 *   CommonJS, not ES modules: V8 can cache what a run compiled only for a
 *   script (vm.Script), and an ES module is not one.
 * - Nothing is written in place: esbuild keeps the output in memory
 *   (`write: false`) and the publish plugin writes it, with Swagger UI's static
 *   files (the docs plugin serves them from next to main.js; the executor's
 *   `assets` can't copy from git-ignored node_modules) and bundle/package.json,
 *   to a staging folder that replaces dist/apps/rag-api in one swap, never
 *   while an image build reads it (tools/image/bundle-publish.ts). The project
 *   sets `deleteOutputPath: false` so the executor does not empty the folder first.
 */
const PACKAGE_JSON = 'apps/rag-api/bundle/package.json';

function publishToOutdir(): Plugin {
  return {
    name: 'publish-bundle',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return;
        const { absWorkingDir = process.cwd(), outdir, outfile } = build.initialOptions;
        const target = resolve(absWorkingDir, outdir ?? dirname(outfile ?? '.'));
        const require = createRequire(import.meta.url);
        const swaggerStatic = join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
        if (!existsSync(swaggerStatic)) throw new Error(`swagger-ui static files not found at ${swaggerStatic}`);
        // Through tsx: Nx loads this file with Node's type stripping, which cannot follow tools/image's `.js` specifiers.
        const { publishBundle }: typeof import('@llmops-rag/workspace-tools') = await tsImport('@llmops-rag/workspace-tools', import.meta.url);
        await publishBundle(
          target,
          (staged) => {
            for (const file of result.outputFiles ?? []) {
              const path = join(staged, relative(target, file.path));
              mkdirSync(dirname(path), { recursive: true });
              writeFileSync(path, file.contents);
            }
            cpSync(swaggerStatic, join(staged, 'static'), { recursive: true });
            cpSync(resolve(absWorkingDir, PACKAGE_JSON), join(staged, 'package.json'));
          },
          (line) => console.log(line),
        );
      });
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Gives the modules matched by `importer` lazy handles for the Node built-ins in `builtins`: an object whose
 * first property read loads the real module (process.getBuiltinModule). Fastify's lib/server.js requires
 * node:https and node:http2 at load but reads them only to create a server for its `https`/`http2` options,
 * which this app never sets; loading them (tls, OpenSSL, nghttp2) cost 3.5 MiB of idle RSS and 10 ms of
 * start-up (npm run bench:http, issue 11). With either option set they load on that first use, as before.
 */
export function lazyBuiltins(importer: RegExp, builtins: readonly string[]): Plugin {
  const filter = new RegExp(`^(${builtins.map(escapeRegExp).join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter }, (args) => (importer.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        loader: 'js',
        contents: [
          `let real; const load = () => (real ??= process.getBuiltinModule(${JSON.stringify(args.path)}));`,
          'module.exports = new Proxy({}, {',
          '  get: (_, key) => load()[key], has: (_, key) => key in load(),',
          '  ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(load(), key),',
          '});',
        ].join('\n'),
      }));
    },
  };
}

/** A module that one bundled module requires at load but uses only later, if at all (see lazyModules). */
export interface LazyModule {
  /** The requiring module's path. */
  importer: RegExp;
  /** The specifier exactly as `importer` requires it ('semver', './lib/validator'). */
  specifier: string;
  /** Exports read at load but only called later: they stay lazy until called (a property read loads the module). */
  functions?: readonly string[];
}

/** Announces each module a lazy handle loads: `diagnostics_channel.subscribe(LAZY_MODULE_CHANNEL, ({ path }) => …)`. */
export const LAZY_MODULE_CHANNEL = 'rag-api:lazy-module';

/**
 * Gives the modules matched by each rule's `importer` a lazy handle for the required module: still bundled,
 * but evaluated on first use (a call, `new`, or a property read other than the rule's `functions`), not when
 * the importer loads. Fastify, fast-json-stringify and avvio require Ajv (with its formats, URI parser and
 * compiled meta-schema) and semver at load although only a route with a validation schema, a response
 * schema with anyOf/oneOf/if, or a plugin declaring the Fastify versions it supports use them; the app's
 * start-up path has none of these. Each load is published on LAZY_MODULE_CHANNEL.
 */
export function lazyModules(rules: readonly LazyModule[]): Plugin {
  const specifiers = [...new Set(rules.map((rule) => rule.specifier))];
  const filter = new RegExp(`^(${specifiers.map(escapeRegExp).join('|')})$`);
  return {
    name: 'lazy-modules',
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === 'lazy-modules:real') return undefined;
        const rule = rules.find((candidate) => candidate.specifier === args.path && candidate.importer.test(args.importer));
        if (!rule) return undefined;
        const real = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'lazy-modules:real' });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'lazy-module', pluginData: rule.functions ?? [] };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => ({
        loader: 'js',
        resolveDir: dirname(args.path),
        contents: [
          'let real;',
          'const load = () => {',
          '  if (real === undefined) {',
          `    real = require(${JSON.stringify(args.path)});`,
          `    require('node:diagnostics_channel').channel(${JSON.stringify(LAZY_MODULE_CHANNEL)}).publish({ path: ${JSON.stringify(args.path)} });`,
          '  }',
          '  return real;',
          '};',
          `const functions = new Set(${JSON.stringify(args.pluginData)});`,
          'module.exports = new Proxy(function lazyModule() {}, {',
          '  apply: (_, self, args) => Reflect.apply(load(), self, args),',
          '  construct: (_, args) => Reflect.construct(load(), args),',
          '  get: (_, key) => (real === undefined && functions.has(key) ? (...args) => load()[key](...args) : load()[key]),',
          '  has: (_, key) => key in load(),',
          '});',
        ].join('\n'),
      }));
    },
  };
}

/** A file inside node_modules, e.g. moduleFile('fastify/lib/plugin-utils.js'), on any platform's separators. */
const moduleFile = (path: string) => new RegExp(`[\\\\/]node_modules[\\\\/]${escapeRegExp(path).replaceAll('/', '[\\\\/]')}$`);

/** What the app's start-up never uses from what Fastify loads (measured with npm run bench:http, issue 11). */
export const FASTIFY_LAZY_MODULES: readonly LazyModule[] = [
  // Ajv for request validation: only routes with a body/querystring/params/headers schema build a validator.
  { importer: moduleFile('@fastify/ajv-compiler/index.js'), specifier: './lib/validator-compiler' },
  { importer: moduleFile('@fastify/ajv-compiler/index.js'), specifier: './lib/serializer-compiler' },
  { importer: moduleFile('@fastify/ajv-compiler/index.js'), specifier: './standalone' },
  // Ajv inside response serialization: only anyOf/oneOf/if-then-else schemas need it; escapeRefForAjv is read at load.
  { importer: moduleFile('fast-json-stringify/index.js'), specifier: './lib/validator', functions: ['escapeRefForAjv'] },
  // semver: only a plugin that declares the Fastify versions it supports (fastify-plugin's `fastify` option).
  { importer: moduleFile('fastify/lib/plugin-utils.js'), specifier: 'semver' },
];

/** Fastify's server factory and the built-ins it needs only for HTTPS or HTTP/2. */
export const FASTIFY_SERVER = /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/;

/** What keeps the start-up path short: the bench bundles its minimal Fastify baseline with the same (tools/bench/http-bench.ts). */
export function startupPlugins(): Plugin[] {
  return [lazyBuiltins(FASTIFY_SERVER, ['node:https', 'node:http2']), lazyModules(FASTIFY_LAZY_MODULES)];
}

export default {
  logLevel: 'warning',
  legalComments: 'none',
  write: false,
  // main.js, not the executor's main.cjs for CommonJS: bundle/package.json says "commonjs".
  outExtension: { '.js': '.js' },
  // The docs app serves Swagger UI's files from next to the bundle.
  define: { 'import.meta.dirname': '__dirname' },
  // Less source for V8 to parse and hold at start: identifiers renamed too (1.0 MB -> 0.68 MB for the start-up
  // code, idle RSS -1.5 MiB, which the 1.10x target needs; issue 11). Not `keepNames`: it would re-set the name
  // of every closure made on every request (measured 20 % more CPU per request). So function and class names in
  // stack traces are short; the sourcemap next to the bundle maps them back (`node --enable-source-maps`).
  // In a logged error, `type` (its class's name) is short too; its message, `code` and an own `name` (Fastify's) stay.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  plugins: [...startupPlugins(), publishToOutdir()],
} satisfies BuildOptions;
