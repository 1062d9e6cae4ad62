import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '@llmops-rag/contract';
import type { ContextInfo } from '../cluster-kinds.js';
import { runDeploy } from '../deploy.js';
import type { DiffDeps } from '../diff/diff-options.js';
import { KubeApiError, type ApplyOptions } from '../kube.js';
import { BufferOutput, type FakeKube } from './fakes.js';
import { apiServer, FakeHost } from './hosts.js';
import { devObjects, makeWorkspace, writeImageArchive } from './workspace.js';

export const MINIKUBE_CONTEXT: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
export const IMAGE_ID = '1'.repeat(64);

/**
 * A developer machine for the diff tests: a workspace with synth output and an image archive, minikube
 * behind the fake process boundary with a real kubeconfig file, and the fake API server with its
 * deployment controller. `deploy()` runs the real deploy (--skip-build) against it first.
 */
export class DiffBench {
  readonly workspace: string;
  readonly host = new FakeHost(MINIKUBE_CONTEXT, ['docker', 'kubectl', 'minikube'], IMAGE_ID);
  readonly kube: FakeKube;
  /** Every apply that was not a dry run, and every delete, from the moment `watchWrites()` was called. */
  readonly writes: string[] = [];
  readonly out = new BufferOutput();
  readonly report = new BufferOutput();
  private apiCalls = 0;

  constructor(objects: KubeObject[] = devObjects(), kube: FakeKube = apiServer()) {
    this.workspace = makeWorkspace(IMAGE_ID, objects);
    this.kube = kube;
  }

  async deploy(env: Record<string, string> = {}): Promise<void> {
    const out = new BufferOutput();
    const result = await runDeploy(
      { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: this.workspace },
      { runner: this.host.runner, kubeContext: () => this.host.context, kubeApi: () => this.kube, clock: this.kube.clock, env, out },
    );
    if (!result.ok) throw new Error(`the deploy before the diff failed:\n${out.text}`);
  }

  /** The synth output as `nx run k8s-manifests:synth` would write it after a change. */
  resynth(objects: KubeObject[]): void {
    const dir = join(this.workspace, 'dist', 'k8s', 'dev');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const o of objects) writeFileSync(join(dir, `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`), `# Generated\n${stringify(o)}`);
  }

  /** The image archive as `nx run rag-api:docker-archive` would write it after a rebuild: another image ID. */
  rebuildImage(configId: string): void {
    writeImageArchive(join(this.workspace, 'dist', 'images', 'llmops-rag-api.tar'), configId);
  }

  writeDotEnv(text: string): void {
    writeFileSync(join(this.workspace, '.env'), text);
  }

  /** Records every write the diff might make (a non-dry-run apply, a delete), so a test can assert there is none. */
  watchWrites(): void {
    const apply = this.kube.apply.bind(this.kube);
    const remove = this.kube.delete.bind(this.kube);
    this.kube.apply = async (object: KubeObject, manager: string, options?: ApplyOptions) => {
      if (!options?.dryRun) this.writes.push(`apply ${object.kind}/${object.metadata.name}`);
      return apply(object, manager, options);
    };
    this.kube.delete = async (ref) => {
      this.writes.push(`delete ${ref.kind}/${ref.name}`);
      return remove(ref);
    };
  }

  /** `Kind/namespace/name` → resourceVersion of everything stored. */
  resourceVersions(): Record<string, string | undefined> {
    return Object.fromEntries([...this.kube.objects].map(([k, o]) => [k, o.metadata.resourceVersion]));
  }

  /** The edges runDiff gets: progress to `out`, the diffs to `report`; `apiCalls` counts each kubeApi() handed out. */
  deps(context: () => ContextInfo | undefined = () => this.host.context): DiffDeps {
    return {
      runner: this.host.runner,
      kubeContext: context,
      kubeApi: () => {
        this.apiCalls += 1;
        return this.kube;
      },
      env: {},
      out: this.out,
      report: this.report,
    };
  }

  get kubeApiCalls(): number {
    return this.apiCalls;
  }

  remove(): void {
    rmSync(this.workspace, { recursive: true, force: true });
    this.host.remove();
  }
}

/**
 * The NamespaceLifecycle admission plugin of a real API server: creating (or dry-running) an object in a
 * namespace that does not exist is refused with 404, as `kubectl diff` on a fresh cluster sees it.
 */
export function withNamespaceLifecycle(kube: FakeKube): FakeKube {
  const apply = kube.apply.bind(kube);
  kube.apply = async (object: KubeObject, manager: string, options?: ApplyOptions) => {
    const namespace = object.metadata.namespace;
    if (namespace && !(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }))) {
      throw new KubeApiError(404, `namespaces "${namespace}" not found`, 'NotFound');
    }
    return apply(object, manager, options);
  };
  return kube;
}
