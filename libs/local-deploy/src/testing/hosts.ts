import { imageIdsInArchive } from '../image-archive.js';
import type { ContextInfo } from '../cluster-kinds.js';
import { withDeploymentController, type ControllerTiming, type PodStatusOf } from './deployment-controller.js';
import { FakeKube, FakeRunner, SPEC_BODIES } from './fakes.js';
import { KubeconfigFile } from './kubeconfig.js';

const RUNNING = JSON.stringify({ Host: 'Running', Kubelet: 'Running', APIServer: 'Running', Kubeconfig: 'Configured' });

/**
 * A developer machine behind the process boundary: the tools on PATH, a
 * Docker engine, minikube or kind holding the images loaded into them, and a
 * real kubeconfig file that only the real `kubectl config` changes.
 * A load puts every tag the archive's manifest.json lists into the cluster, at
 * the archive's config digest, as the real loaders do; `archiveId` is that
 * digest, for tests that check what was loaded.
 */
export class FakeHost {
  readonly kubeconfig: KubeconfigFile;
  readonly runner: FakeRunner;
  /** What the cluster's nodes hold: tag (`docker.io/library/…`, as the runtimes list it) → image id (hex). */
  readonly images = new Map<string, string>();
  /** Tags the loads put into the cluster, in order. */
  readonly loadedTags: string[][] = [];
  archiveId: string;
  /** Environments the --load-command shell ran with. */
  readonly loadCommandEnvs: Record<string, string | undefined>[] = [];
  /** minikube addons enabled (`minikube addons enable <name>`), and what such a call fails with instead, when set. */
  readonly addons = new Set<string>();
  addonFailure: string | undefined;

  constructor(context: ContextInfo, tools: readonly string[], archiveId: string) {
    this.kubeconfig = new KubeconfigFile(context);
    this.archiveId = archiveId;
    this.runner = new FakeRunner(tools, (command, args, options) => {
      const cmd = command.split('/').pop();
      const listed = JSON.stringify(this.listImages());
      if (cmd === 'docker' && args[0] === 'info') return { stdout: '28.2.2\n' };
      if (cmd === 'docker' && args[0] === 'ps') return { stdout: '' };
      if (cmd === 'docker' && args[0] === 'exec' && args.includes('crictl')) return { stdout: JSON.stringify({ images: JSON.parse(listed) }) };
      if (cmd === 'minikube' && args[0] === 'status') return { stdout: RUNNING };
      if (cmd === 'minikube' && args[0] === 'profile') return { stdout: JSON.stringify({ valid: [{ Name: 'minikube' }] }) };
      if (cmd === 'minikube' && args.includes('ls')) return { stdout: listed };
      if (cmd === 'minikube' && args[0] === 'addons' && args[1] === 'enable') return this.enableAddon(args[2] as string);
      if ((cmd === 'minikube' && args.includes('load')) || (cmd === 'kind' && args[0] === 'load')) return this.load(args.find((a) => a.endsWith('.tar')));
      if (cmd === 'sh' && args[0] === '-c') {
        this.loadCommandEnvs.push({ IMAGE_ARCHIVE: options?.env?.IMAGE_ARCHIVE, IMAGE: options?.env?.IMAGE });
        return this.load(options?.env?.IMAGE_ARCHIVE);
      }
      if (cmd === 'kubectl' && args[0] === 'config') return this.kubeconfig.kubectl(args);
      if (cmd === 'nx') return { stdout: `> nx run ${args[1]}\nNx read the output from the cache instead of running the command for 1 out of 1 tasks.` };
      return { code: 1, stderr: `unexpected ${cmd} ${args.join(' ')}` };
    });
  }

  private enableAddon(name: string) {
    if (this.addonFailure) return { code: 80, stderr: this.addonFailure };
    this.addons.add(name);
    return { stdout: `💡  ${name} is an addon maintained by Kubernetes.\n🌟  The '${name}' addon is enabled` };
  }

  private load(tarPath: string | undefined) {
    if (!tarPath) return { code: 1, stderr: 'no archive to load' };
    const { ids, repoTags } = imageIdsInArchive(tarPath);
    const id = ids[0] as string;
    this.archiveId = id;
    const tags = repoTags.map((tag) => `docker.io/library/${tag}`);
    for (const tag of tags) this.images.set(tag, id);
    this.loadedTags.push(tags);
    return { stdout: repoTags.map((tag) => `Loaded image: ${tag}`).join('\n') };
  }

  /** The cluster's listing (`minikube image ls --format json` / crictl's images): one record per id with its tags. */
  private listImages(): { id: string; repoTags: string[] }[] {
    const byId = new Map<string, string[]>();
    for (const [tag, id] of this.images) byId.set(id, [...(byId.get(id) ?? []), tag]);
    return [...byId].map(([id, repoTags]) => ({ id, repoTags }));
  }

  get context(): ContextInfo {
    return this.kubeconfig.context() as ContextInfo;
  }

  remove(): void {
    this.kubeconfig.remove();
  }
}

/** The fake API server plus a deployment controller: an applied pod template gets a Ready pod (or `podStatus`). */
export function apiServer(podStatus?: PodStatusOf, timing?: Partial<ControllerTiming>): FakeKube {
  const kube = withDeploymentController(new FakeKube(), podStatus, timing);
  kube.endpoints = { ...SPEC_BODIES };
  kube.env = { APP_ENV: 'dev', AWS_REGION: 'ap-southeast-2', DOCUMENTS_BUCKET: 'llmops-rag-documents-dev', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '5' };
  kube.logText = '{"msg":"Application startup complete"}';
  return kube;
}
