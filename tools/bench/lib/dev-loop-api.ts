import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

/** The parts of libs/local-deploy/src/dev/loop-api.ts the bench calls (loaded from the bench's copy at run time). */
export interface LoopApi {
  bundleApp(root: string, entry: BundleEntry, outdir?: string): Promise<{ outdir: string; ms: number }>;
  /** Ends the esbuild contexts the bundles keep (else they keep the process alive). */
  disposeBundlers(): Promise<void>;
  devLoopOverlay(live?: { script: string }): { apply(objects: readonly KubeObjectLike[]): KubeObjectLike[]; summary: string };
  DEV_READINESS: { initialDelaySeconds: number; periodSeconds: number };
  LIVE_BUNDLE_DIR: string;
  bundleForLive(root: string, entry: BundleEntry): Promise<{ outdir: string; ms: number }>;
  syncBundle(port: number, dir: string): Promise<{ generation: number; sent: string[]; bytes: number; restartMs: number; readyMs: number }>;
  LIVE_PATHS: { supervisorDir: string; script: string; liveDir: string };
  supervisorScript(): Promise<string>;
  IMAGE_ARCHIVE_SCRIPT: string;
  choosePath(files: readonly string[], set: unknown, root: string): { path: 'live' | 'full'; why: string; synth: boolean };
  deriveWatchSet(root: string, entry: BundleEntry): Promise<unknown>;
  SYNTH: { entry: string; tsConfig: string; out: string; profile: string };
  readSynthOutput(dir: string): KubeObjectLike[];
}
export interface BundleEntry {
  entryPoints: readonly string[];
  tsConfig: string;
  options?: Readonly<Record<string, unknown>>;
}
export interface KubeObjectLike {
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

/** The dev loop's code from the workspace at `dir` (through tsx, with that workspace's tsconfig paths). */
export async function loadLoopApi(dir: string): Promise<LoopApi> {
  return (await tsImport(pathToFileURL(join(dir, 'libs/local-deploy/src/dev/loop-api.ts')).href, {
    parentURL: import.meta.url,
    tsconfig: join(dir, 'libs/local-deploy/tsconfig.json'),
  })) as LoopApi;
}
