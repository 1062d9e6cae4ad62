import { normalizeImageId } from './image-archive.js';
import type { Tool } from './preflight.js';
import { IMAGE_REPOSITORY } from '@llmops-rag/contract';
import { tail, type Runner } from '@llmops-rag/platform';
import type { Output } from './types.js';

export type ClusterKind = 'minikube' | 'kind' | 'k3d' | 'docker-desktop' | 'k3s-container';

/** The kube context as the deploy sees it. */
export interface ContextInfo {
  name: string;
  cluster: string;
  server: string;
  namespace?: string;
}

/** A local cluster recognised from the context: its kind and what the loaders need. */
export interface LocalCluster {
  kind: ClusterKind;
  /** minikube profile, kind/k3d cluster name, or the k3s container's id. */
  target: string;
}

/** Facts from outside the kubeconfig that identify a cluster, gathered through the Runner. */
export interface ClusterFacts {
  /** Profiles `minikube profile list` knows (empty when minikube is absent). */
  minikubeProfiles: readonly string[];
  /** Running containers, for recognising a k3s container by its published API port. */
  containers: readonly { id: string; image: string; ports: string }[];
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0|(host|kubernetes|gateway)\.docker\.internal)$/i;
/** minikube's VM/container networks (docker driver 192.168.49.0/24 and the hypervisor drivers' ranges). */
const MINIKUBE_NETWORK = /^192\.168\.\d{1,3}\.\d{1,3}$/;

export function serverHost(server: string): { host: string; port: string } {
  try {
    const url = new URL(server);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (url.protocol === 'http:' ? '80' : '443') };
  } catch {
    return { host: server, port: '' };
  }
}

export function isLoopbackServer(server: string): boolean {
  return LOOPBACK.test(serverHost(server).host);
}

/**
 * Which local cluster a context points at, or a reason it is not recognised.
 * The name alone is never enough: the API server must also be on this
 * machine, so a context merely called `kind-prod` that points elsewhere is refused.
 */
export function detectCluster(ctx: ContextInfo, facts: ClusterFacts): LocalCluster | { unknown: string } {
  const { host, port } = serverHost(ctx.server);
  const local = isLoopbackServer(ctx.server);
  if (facts.minikubeProfiles.includes(ctx.name) || ctx.name === 'minikube') {
    if (local || MINIKUBE_NETWORK.test(host)) return { kind: 'minikube', target: ctx.name };
    return { unknown: `context "${ctx.name}" is named like minikube but its server ${ctx.server} is not on this machine` };
  }
  const kindName = ctx.name.match(/^kind-(.+)$/)?.[1];
  if (kindName) return local ? { kind: 'kind', target: kindName } : remote(ctx, 'kind');
  const k3dName = ctx.name.match(/^k3d-(.+)$/)?.[1];
  if (k3dName) return local ? { kind: 'k3d', target: k3dName } : remote(ctx, 'k3d');
  if (ctx.name === 'docker-desktop' || ctx.name === 'docker-for-desktop') {
    return local ? { kind: 'docker-desktop', target: ctx.name } : remote(ctx, 'Docker Desktop');
  }
  if (local) {
    const k3s = facts.containers.find((c) => /rancher\/k3s|k3s/.test(c.image) && c.ports.includes(`:${port}->6443/tcp`));
    if (k3s) return { kind: 'k3s-container', target: k3s.id };
    return {
      unknown: `context "${ctx.name}" points at ${ctx.server} on this machine, but no minikube profile, kind, k3d, Docker Desktop or k3s container matches it`,
    };
  }
  return { unknown: `context "${ctx.name}" points at ${ctx.server}, which is not a local cluster` };
}

function remote(ctx: ContextInfo, what: string) {
  return { unknown: `context "${ctx.name}" is named like ${what} but its server ${ctx.server} is not on this machine` };
}

/** Gathers ClusterFacts cheaply; a missing tool just yields no facts. */
export async function gatherClusterFacts(runner: Runner): Promise<ClusterFacts> {
  const minikubeProfiles: string[] = [];
  if (runner.which('minikube')) {
    const listed = await runner.run('minikube', ['profile', 'list', '-o', 'json'], { timeoutMs: 20_000 });
    minikubeProfiles.push(...parseMinikubeProfiles(listed.stdout));
  }
  const containers: ClusterFacts['containers'][number][] = [];
  if (runner.which('docker')) {
    const ps = await runner.run('docker', ['ps', '--format', '{{.ID}}\t{{.Image}}\t{{.Ports}}'], { timeoutMs: 15_000 });
    if (ps.code === 0) {
      for (const line of ps.stdout.split('\n').filter(Boolean)) {
        const [id = '', image = '', ports = ''] = line.split('\t');
        containers.push({ id, image, ports });
      }
    }
  }
  return { minikubeProfiles, containers };
}

export function parseMinikubeProfiles(stdout: string): string[] {
  try {
    const parsed = JSON.parse(stdout) as { valid?: { Name?: string }[]; invalid?: { Name?: string }[] };
    return [...(parsed.valid ?? []), ...(parsed.invalid ?? [])].map((p) => p.Name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

/** The tools a kind's image listing and loader run (`kind load` and `k3d image import` drive Docker themselves). */
export function loaderTools(kind: ClusterKind): Tool[] {
  switch (kind) {
    case 'minikube':
      return ['minikube'];
    case 'kind':
      return ['docker', 'kind'];
    case 'k3d':
      return ['docker', 'k3d'];
    case 'docker-desktop':
    case 'k3s-container':
      return ['docker'];
  }
}

type Command = readonly [string, ...string[]];

/** How each kind lists its images (ids to compare with the archive's) and loads an archive. */
export function imageCommands(cluster: LocalCluster, tarPath: string): { list: Command; load: Command[] } {
  const { target } = cluster;
  switch (cluster.kind) {
    case 'minikube':
      return { list: ['minikube', '-p', target, 'image', 'ls', '--format', 'json'], load: [['minikube', '-p', target, 'image', 'load', tarPath]] };
    case 'kind':
      return {
        list: ['docker', 'exec', `${target}-control-plane`, 'crictl', 'images', '-o', 'json'],
        load: [['kind', 'load', 'image-archive', tarPath, '--name', target]],
      };
    case 'k3d':
      return {
        list: ['docker', 'exec', `k3d-${target}-server-0`, 'crictl', 'images', '-o', 'json'],
        load: [['k3d', 'image', 'import', tarPath, '-c', target]],
      };
    case 'docker-desktop':
      // Docker Desktop's Kubernetes shares the engine: the image is there once `docker load`ed (or built).
      return { list: ['docker', 'image', 'ls', '--no-trunc', '--format', '{{json .}}'], load: [['docker', 'load', '-i', tarPath]] };
    case 'k3s-container': {
      const inside = `/tmp/${IMAGE_REPOSITORY}.image.tar`;
      return {
        list: ['docker', 'exec', target, 'crictl', 'images', '-o', 'json'],
        load: [
          ['docker', 'cp', tarPath, `${target}:${inside}`],
          ['docker', 'exec', target, 'ctr', '-n', 'k8s.io', 'images', 'import', inside],
          ['docker', 'exec', target, 'rm', '-f', inside],
        ],
      };
    }
  }
}

/**
 * Image ids a cluster holds under `image` (e.g. `llmops-rag-api:latest`), from
 * any of: `minikube image ls --format json` (array), `crictl images -o json`
 * ({images: [...]}) or `docker image ls --format '{{json .}}'` (JSON lines).
 */
export function idsForImage(listOutput: string, image: string): string[] {
  const want = normalizeRef(image);
  const records: { id?: string; ID?: string; repoTags?: string[]; Repository?: string; Tag?: string }[] = [];
  const text = listOutput.trim();
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) records.push(...parsed);
    else if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { images?: unknown }).images)) {
      records.push(...(parsed as { images: typeof records }).images);
    } else if (parsed && typeof parsed === 'object') records.push(parsed as (typeof records)[number]);
  } catch {
    for (const line of text.split('\n')) {
      try {
        records.push(JSON.parse(line));
      } catch {
        // not JSON: ignore the line
      }
    }
  }
  return records
    .filter((r) => (r.repoTags ?? (r.Repository ? [`${r.Repository}:${r.Tag ?? 'latest'}`] : [])).some((t) => normalizeRef(t) === want))
    .map((r) => normalizeImageId(r.id ?? r.ID ?? ''))
    .filter(Boolean);
}

/** `docker.io/library/x:latest`, `library/x`, `x` → `x:latest`. */
export function normalizeRef(ref: string): string {
  let name = ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
  if (!/:[^/]+$/.test(name) && !name.includes('@')) name += ':latest';
  return name;
}

export type LoadOutcome = { loaded: false; reason: string } | { loaded: true; reason: string };

/**
 * Loads the archive into the cluster unless the cluster already has the image
 * with the same id (then nothing is done: a second deploy is quick).
 */
export async function loadImage(
  runner: Runner,
  cluster: LocalCluster,
  archive: { path: string; ids: readonly string[] },
  image: string,
  out: Output,
): Promise<LoadOutcome> {
  const commands = imageCommands(cluster, archive.path);
  const [listCmd, ...listArgs] = commands.list;
  const listed = await runner.run(listCmd, listArgs, { timeoutMs: 60_000 });
  const present = listed.code === 0 ? idsForImage(listed.stdout, image) : [];
  if (present.some((id) => archive.ids.includes(id))) {
    return { loaded: false, reason: `${image} already in the ${cluster.kind} cluster with the same id` };
  }
  out.line(`  loading ${archive.path} into ${cluster.kind} (${cluster.target}); large images take a minute…`);
  for (const [cmd, ...args] of commands.load) {
    const started = Date.now();
    const heartbeat = setInterval(() => out.line(`    … still loading (${Math.round((Date.now() - started) / 1000)}s)`), 15_000);
    const result = await runner
      .run(cmd, args, { timeoutMs: 10 * 60_000, onLine: (line) => out.line(`    ${line.trim()}`) })
      .finally(() => clearInterval(heartbeat));
    if (result.code !== 0) {
      throw new Error(
        `loading the image into ${cluster.kind} failed: \`${[cmd, ...args].join(' ')}\` exited ${result.code}${result.timedOut ? ' (timed out)' : ''}\n${tail(result)}\n` +
          `fix: check the cluster is running and the archive is intact (re-run \`npx nx run rag-api:docker --skip-nx-cache\`)`,
      );
    }
  }
  return { loaded: true, reason: present.length > 0 ? `replaced an older ${image}` : `${image} was not in the cluster` };
}
