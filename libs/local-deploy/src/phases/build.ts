import { dirname, join } from 'node:path';
import { tail } from '@llmops-rag/platform';
import type { Checklist } from '../checklist.js';
import type { DeployDeps, DeployOptions } from '../deploy-options.js';

/** The Nx targets, run from the workspace with the Node that runs this script first on PATH. */
/** Phase 2. */
export async function build(options: DeployOptions, deps: DeployDeps, checklist: Checklist): Promise<void> {
  if (options.skipBuild) {
    checklist.skip('Build image (nx run rag-api:docker)', '--skip-build: using dist/images as it is');
    checklist.skip('Synth manifests (nx run k8s-manifests:synth)', '--skip-build: using dist/k8s as it is');
    return;
  }
  if (options.build) return options.build(deps, checklist);
  const nx = join(options.workspaceRoot, 'node_modules', '.bin', 'nx');
  const env = { ...deps.env, PATH: `${dirname(process.execPath)}:${deps.env.PATH ?? ''}`, NX_DAEMON: deps.env.NX_DAEMON ?? 'false' };
  for (const [name, target] of [
    ['Build image (nx run rag-api:docker)', 'rag-api:docker'],
    ['Synth manifests (nx run k8s-manifests:synth)', 'k8s-manifests:synth'],
  ] as const) {
    deps.out.line(`\n▶ ${name}`);
    await checklist.step(name, async () => {
      let cached = false;
      const result = await deps.runner.run(nx, ['run', target, '--outputStyle=stream'], {
        cwd: options.workspaceRoot,
        env,
        timeoutMs: 20 * 60_000,
        onLine: (line) => {
          if (/existing outputs match the cache|from the cache|local cache/i.test(line)) cached = true;
          deps.out.line(`    ${line}`);
        },
      });
      if (result.code !== 0)
        throw new Error(
          `\`nx run ${target}\` failed (exit ${result.code})\n${tail(result, 10)}\nfix: run \`npx nx run ${target}\` alone and fix what it reports`,
        );
      return { detail: cached ? 'from Nx cache' : 'built', value: undefined };
    });
  }
}
