import { existsSync, statSync } from 'node:fs';
import { gatherClusterFacts, type ContextInfo } from '../cluster-kinds.js';
import { guardContext } from '../context-guard.js';
import type { ArchiveImage } from '../deploy-image.js';
import { artifactPaths } from '../deploy-options.js';
import { imageIdsInArchive } from '../image-archive.js';
import { readDotEnvInPreflight } from '../phases/preflight.js';
import { PreflightError, type Problem } from '../preflight-error.js';
import type { DiffDeps, DiffOptions } from './diff-options.js';

export interface DiffInputs {
  context: ContextInfo;
  paths: ReturnType<typeof artifactPaths>;
  /** The .env's values, in memory. */
  dotEnv: Record<string, string>;
  /** The image archive's config digest and tags, as the deploy pins and annotates the pod template with them; undefined without an archive. */
  archive: ArchiveImage | undefined;
}

/**
 * Everything the diff needs before it reads the cluster, checked like the deploy's preflight: the kube
 * context must be a local cluster (or named by --allow-context), the synth output must exist, and the
 * .env must be usable. Throws PreflightError (exit 3) before any API call.
 */
export async function diffPreflight(options: DiffOptions, deps: DiffDeps): Promise<DiffInputs> {
  const ctx = deps.kubeContext();
  const guard = guardContext(ctx, { mode: 'local' }, await gatherClusterFacts(deps.runner), options.allowContext, 'diff against');
  if (guard.warning) deps.out.line(`  ⚠ ${guard.warning}`);
  const context = ctx as ContextInfo;
  deps.out.line(`  kube context ${context.name} → ${guard.cluster ? `${guard.cluster.kind} (${guard.cluster.target})` : 'unrecognised, allowed by flag'}`);

  const paths = artifactPaths(options.workspaceRoot, options.manifestsProfile);
  const problems: Problem[] = [];
  if (!statSync(paths.manifestsDir, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push({
      thing: 'synth output',
      problem: `${paths.manifestsDir} does not exist, so there is nothing to compare the cluster with`,
      fix: 'run `npx nx run k8s-manifests:synth` (the diff target runs it first)',
    });
  }
  let dotEnv: Record<string, string> = {};
  try {
    dotEnv = readDotEnvInPreflight(options.envFile ?? paths.dotEnv, deps.out);
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    problems.push(...error.problems);
  }
  const archive = readArchive(paths.imageArchive, problems);
  if (problems.length > 0) throw new PreflightError(problems);
  if (archive === undefined) {
    deps.out.line(
      `  ⚠ no image archive at ${paths.imageArchive}: compared without the image-ID annotation (a deploy needs \`npx nx run rag-api:docker\` first)`,
    );
  }
  return { context, paths, dotEnv, archive };
}

/** The archive's image ID and tags, as the deploy reads them; a present but unreadable archive is a problem. */
function readArchive(path: string, problems: Problem[]): ArchiveImage | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const { ids, repoTags } = imageIdsInArchive(path);
    return { id: ids[0] as string, repoTags };
  } catch (error) {
    problems.push({ thing: 'image archive', problem: (error as Error).message, fix: 'rebuild it: `npx nx run rag-api:docker`' });
    return undefined;
  }
}
