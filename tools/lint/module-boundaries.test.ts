/**
 * The project boundaries of eslint.config.mjs hold: ESLint's own Node API lints virtual files placed inside real
 * projects, so the verdicts come from the real config, the real project.json tags and the real Nx project graph.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids and messages ESLint reports for `source` as if it were the file at `filePath` (relative to the root). */
async function lint(filePath: string, source: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}${filePath}` });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

const use = (specifier: string) => `import { value } from '${specifier}';\nexport const copy = value;\n`;

describe('module boundaries (eslint.config.mjs + project tags)', () => {
  it('rejects a lib importing an app by its package name', async () => {
    expect(await lint('libs/config/src/boundary-probe.ts', use('@llmops-rag/rag-api'))).toEqual([
      expect.objectContaining({ ruleId: 'no-restricted-imports', message: expect.stringContaining('Imports of apps are forbidden') }),
    ]);
  });

  it('rejects a lib importing an app by a relative path', async () => {
    expect(await lint('libs/config/src/boundary-probe.ts', use('../../../apps/rag-api/src/app'))).toEqual([
      expect.objectContaining({ ruleId: '@nx/enforce-module-boundaries', message: expect.stringContaining('relative or absolute path') }),
    ]);
  });

  it('rejects a relative import into another project', async () => {
    expect(await lint('libs/k8s-manifests/src/boundary-probe.ts', use('../../config/src/env-schema'))).toEqual([
      expect.objectContaining({ ruleId: '@nx/enforce-module-boundaries', message: expect.stringContaining('relative or absolute path') }),
    ]);
  });

  it('rejects a deep import past another project’s index', async () => {
    expect(await lint('libs/k8s-manifests/src/boundary-probe.ts', use('@llmops-rag/config/src/env-schema'))).toEqual([
      expect.objectContaining({ ruleId: 'no-restricted-imports', message: expect.stringContaining('only through its index') }),
    ]);
  });

  it('rejects an import against the tags: type:platform may import no project', async () => {
    expect(await lint('libs/platform/src/boundary-probe.ts', use('@llmops-rag/config'))).toEqual([
      expect.objectContaining({
        ruleId: '@nx/enforce-module-boundaries',
        message: 'A project tagged with "type:platform" cannot depend on any libs with tags',
      }),
    ]);
  });

  it('accepts an import the tags allow (type:manifests -> type:config, through the index)', async () => {
    expect(await lint('libs/k8s-manifests/src/boundary-probe.ts', use('@llmops-rag/config'))).toEqual([]);
  });
});
