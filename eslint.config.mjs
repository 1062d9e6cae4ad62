// ESLint flat config for every project. `@nx/eslint/plugin` (nx.json) infers a cached `lint` target per project
// from this file; `@nx/enforce-module-boundaries` keeps the project graph the one ARCH9/issue 9 decided:
// imports cross projects only through `@llmops-rag/<project>` (its index), and only in the allowed direction.
import { globSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What a project of each `type:` tag may import (tags live in each project.json). */
export const depConstraints = [
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:contract'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:config', 'type:contract'] },
  { sourceTag: 'type:manifests', onlyDependOnLibsWithTags: ['type:config', 'type:contract', 'type:platform'] },
  { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:manifests', 'type:config', 'type:contract', 'type:platform'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contract', 'type:config', 'type:platform'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:contract', 'type:platform', 'type:config'] },
];

/** Projects whose tests (not their code) may import `@llmops-rag/workspace-tools`. */
const TOOL_USERS = ['type:app', 'type:manifests', 'type:engine'];

function boundaryOptions(constraints) {
  return {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: false,
    // The one workspace-level file every project's vitest.config.mts extends (it belongs to no project).
    allow: ['../vitest.shared.mts', '../../vitest.shared.mts'],
    depConstraints: constraints,
  };
}

/**
 * `@llmops-rag/<dir>` of each project tagged `type:app`. Apps have no `paths` alias, so the Nx rule cannot resolve an
 * import of one (it would pass as an unknown package): name them here so `import ... from '@llmops-rag/rag-api'` fails.
 */
const ROOT = import.meta.dirname; // Nx runs each project's lint from its own directory
const appPackages = globSync('{apps,libs,tools}/**/project.json', { cwd: ROOT, exclude: (path) => path.includes('node_modules') })
  .filter((file) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')).tags?.includes('type:app'))
  .map((file) => `@llmops-rag/${basename(dirname(file))}`);

export default defineConfig(
  {
    ignores: ['**/dist/', '**/node_modules/', '**/tmp/', 'tmp-*/', '**/coverage/', '**/cdktf.out/', '**/.terraform/', '**/*.generated.*'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaryOptions(depConstraints)],
      // A deep path into another project (`@llmops-rag/config/src/...`) bypasses its index: the index is its API.
      'no-restricted-imports': [
        'error',
        {
          paths: appPackages.map((name) => ({
            name,
            message: 'Imports of apps are forbidden: move what both need into a lib (see the tags in eslint.config.mjs).',
          })),
          patterns: [
            {
              regex: '^@llmops-rag/[^/]+/',
              message: 'Import another project only through its index: `@llmops-rag/<project>`, not a path inside it.',
            },
          ],
        },
      ],
      // `_`-prefixed names mark a parameter or binding kept on purpose (a callback's position, a rest-omit).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and build configs of the app, the manifests and the engines may use the workspace's tooling (the app
    // image, built under the build lock, the docker client, the bundle publisher, test helpers) through
    // `@llmops-rag/workspace-tools`; their production code may not.
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/esbuild.config.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        boundaryOptions(
          depConstraints.map((c) => (TOOL_USERS.includes(c.sourceTag) ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:tools'] } : c)),
        ),
      ],
    },
  },
  prettier,
);
