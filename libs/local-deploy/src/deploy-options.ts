import { join } from 'node:path';
import { IMAGE_ARCHIVE, imageRef, LATEST_TAG, type KubeObject } from '@llmops-rag/contract';
import type { Checklist } from './checklist.js';
import type { ClusterDeps } from './types.js';

/** The image the dev deploy builds, loads and runs. */
export const IMAGE = imageRef(LATEST_TAG);
export const IMAGE_ID_ANNOTATION = 'llmops-rag.io/image-id';
export const SECRET_CHECKSUM_ANNOTATION = 'checksum/secret';

export interface DeployOptions {
  /** `minikube`: deploy-minikube (one profile, started if stopped). `local`: whatever local cluster the context is. */
  mode: 'minikube' | 'local';
  /** minikube profile (= its context name). */
  profile: string;
  /** Exactly the context name to deploy to although it is not the expected local cluster. */
  allowContext?: string;
  /** Rollout timeout. */
  timeoutMs: number;
  /** Use the existing dist/images archive and dist/k8s output instead of running the Nx targets. */
  skipBuild: boolean;
  workspaceRoot: string;
  /** Synth output folder under dist/k8s (`dev`). */
  manifestsProfile?: string;
  /** The .env to read secret values from (default: `.env` at the workspace root). */
  envFile?: string;
  /**
   * A shell command that loads the image archive into the cluster, run by the
   * deploy instead of its own loader (for a cluster it does not recognise).
   * It gets IMAGE_ARCHIVE (absolute path of the archive) and IMAGE in its environment.
   */
  loadCommand?: string;
  /**
   * Run the spec's verification checklist after the rollout (default true). The dev loop turns it off:
   * it needs the new pods Ready, not the full checklist on every save.
   */
  verify?: boolean;
  /**
   * Atomic deploy (default true): when the apply or the rollout fails, restore the previous release (or undo a
   * first deploy), wait until it is Ready again, and fail. `--no-atomic` leaves the failed state for debugging.
   */
  atomic?: boolean;
  /**
   * When another operation holds the namespace's lock: wait for it up to `timeoutMs` (default true), or refuse at
   * once (`--no-wait`). Either way a refusal exits 3, outcome `locked`.
   */
  wait?: boolean;
  /** deploy-minikube `--enable-metrics`: enable minikube's metrics-server addon, for the checklist's CPU and memory step. */
  enableMetrics?: boolean;
  /** The command's Ctrl-C/SIGTERM: stops at the next safe point (src/deploy.ts), restoring what the deploy changed. */
  signal?: AbortSignal;
  /** Applied to the prepared objects before the release (the dev loop's); recorded in the release's description. */
  overlay?: DeployOverlay;
  /**
   * The build phase to run instead of `nx run rag-api:docker` and `nx run k8s-manifests:synth` (the dev loop's, in
   * process): it leaves the image archive in dist/images and the synth output in dist/k8s, as they do, and records its
   * steps in the checklist.
   */
  build?: (deps: DeployDeps, checklist: Checklist) => Promise<void>;
}

/**
 * Changes to the prepared objects that only this deploy makes, in memory (the dev loop's overlay, src/dev/dev-overlay.ts):
 * the synth output on disk, and so `deploy-minikube`/`deploy-local` and `diff`, keep the profile's own values.
 */
export interface DeployOverlay {
  /** `dev-loop`: named in the output and in the release record's description. */
  name: string;
  /** What it changes, in one line, for the release record's description. */
  summary: string;
  apply(objects: readonly KubeObject[]): KubeObject[];
}

export interface DeployDeps extends ClusterDeps {
  /** Process environment (secret values, PATH for the Nx children). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface DeployResult {
  ok: boolean;
  checklist: Checklist;
  /** The release revision recorded (the rollout completed). */
  revision?: number;
  /** The revision an atomic deploy went back to after its rollout failed. */
  rolledBackTo?: number;
  /** The signal (`SIGINT`, `SIGTERM`) that stopped the run, when one did. */
  interrupted?: string;
}

export function artifactPaths(workspaceRoot: string, manifestsProfile = 'dev') {
  return {
    imageArchive: join(workspaceRoot, IMAGE_ARCHIVE),
    manifestsDir: join(workspaceRoot, 'dist', 'k8s', manifestsProfile),
    dotEnv: join(workspaceRoot, '.env'),
  };
}
