import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tail } from '@llmops-rag/platform';
import type { Checklist } from '../checklist.js';
import type { DeployDeps } from '../deploy-options.js';
import { bundleApp } from './bundle-app.js';
import { SYNTH, type BundleEntry } from './watch-set.js';

/** What the image build runs (rag-api's `docker-archive` target's command, without Nx): docker build, docker save, the ID. */
export const IMAGE_ARCHIVE_SCRIPT = 'tools/image/cli/docker-archive.ts';

/** The steps' names: the loop's timing groups them into stages by these prefixes (timing.ts). */
export const LOOP_STEPS = {
  bundle: 'Bundle (esbuild in process, rag-api:build options)',
  image: `Build image (docker build + save: ${IMAGE_ARCHIVE_SCRIPT})`,
  synth: `Synth manifests (dev profile: ${SYNTH.entry})`,
} as const;

/**
 * The dev loop's build phase, in place of the deploy's two `nx run` processes (each 2-3 s of Nx start, project graph
 * and task hashing before any work): the bundle with esbuild's API in this process and the build target's options
 * (bundle-app.ts), the image with the same tools/image code the `docker-archive` target runs (the Dockerfile, so the
 * same base, user, code cache and entrypoint; the layer cache redoes only the app's layers), and synth only when
 * `synth` says its inputs changed or there is no output yet. Each step is a checklist line, so a failure names it.
 */
export function loopBuild(root: string, entry: BundleEntry, synth: boolean): (deps: DeployDeps, checklist: Checklist) => Promise<void> {
  return async (deps, checklist) => {
    const env = { ...deps.env, PATH: `${dirname(process.execPath)}:${deps.env.PATH ?? ''}` };
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const run = async (args: string[], what: string) => {
      const result = await deps.runner.run(tsx, args, { cwd: root, env, timeoutMs: 10 * 60_000, onLine: (line) => deps.out.line(`    ${line}`) });
      if (result.code !== 0)
        throw new Error(`${what} failed (exit ${result.code})\n${tail(result, 10)}\nfix: run \`npx tsx ${args.join(' ')}\` alone and fix what it reports`);
    };
    deps.out.line(`\n▶ ${LOOP_STEPS.bundle}`);
    await checklist.step(LOOP_STEPS.bundle, async () => {
      const built = await bundleApp(root, entry);
      return { detail: `${entry.entryPoints.length} entry points in ${Math.round(built.ms)} ms`, value: undefined };
    });
    deps.out.line(`\n▶ ${LOOP_STEPS.image}`);
    await checklist.step(LOOP_STEPS.image, async () => {
      await run([IMAGE_ARCHIVE_SCRIPT], 'the image build');
      return { detail: 'built', value: undefined };
    });
    const output = join(root, SYNTH.out, SYNTH.profile);
    if (!synth && existsSync(output)) {
      checklist.skip(LOOP_STEPS.synth, `no manifest source changed: ${SYNTH.out}/${SYNTH.profile} as it is`);
      return;
    }
    deps.out.line(`\n▶ ${LOOP_STEPS.synth}`);
    await checklist.step(LOOP_STEPS.synth, async () => {
      await run(['--tsconfig', SYNTH.tsConfig, SYNTH.entry, '--out', SYNTH.out, '--profile', SYNTH.profile], 'synth');
      return { detail: 'synthesized', value: undefined };
    });
  };
}
