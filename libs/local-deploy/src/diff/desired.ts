import { findObject, type KubeObject } from '@llmops-rag/contract';
import { NAMES } from '@llmops-rag/k8s-manifests';
import { Checklist } from '../checklist.js';
import type { DeployOptions } from '../deploy-options.js';
import { withNamespaceRecord } from '../deploy-record.js';
import type { KubeApi } from '../kube.js';
import { prepareObjects } from '../phases/objects.js';
import type { DiffDeps, DiffOptions } from './diff-options.js';
import type { DiffInputs } from './preflight.js';

export interface Desired {
  /** What `deploy --skip-build` would apply now, in its order. */
  objects: KubeObject[];
  /** The app's namespace (the Deployment's), where the deploy prunes. */
  namespace: string;
}

/**
 * Exactly the objects `deploy --skip-build` would apply now: the synth output with the Secret built from
 * the environment/.env in memory and the image pinned to the archive's ID tag and the pod-template annotations (image ID, secret checksum), through the
 * deploy's own prepareObjects, and the Namespace carrying the deploy record as the deploy's apply phase
 * sends it (from the live Namespace and the current context). Reads the live Namespace; writes nothing.
 */
export async function desiredObjects(options: DiffOptions, deps: DiffDeps, inputs: DiffInputs, api: KubeApi): Promise<Desired> {
  // The options `deploy-local --skip-build` would pass; prepareObjects builds from the paths, the .env and the image ID.
  const deployOptions: DeployOptions = {
    mode: 'local',
    profile: inputs.context.name,
    timeoutMs: 0,
    skipBuild: true,
    workspaceRoot: options.workspaceRoot,
    ...(options.manifestsProfile ? { manifestsProfile: options.manifestsProfile } : {}),
    ...(options.envFile ? { envFile: options.envFile } : {}),
  };
  const prepared = await prepareObjects(deployOptions, deps, new Checklist(), inputs.paths, inputs.archive, inputs.dotEnv);
  const namespace = findObject(prepared, 'Deployment', NAMES.deployment).metadata.namespace ?? 'dev';
  return { objects: await withNamespaceRecord(api, prepared, inputs.context), namespace };
}
