import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { imageIdTag, imageRef, LATEST_TAG, type KubeObject } from '@llmops-rag/contract';

const LABELS = { app: 'rag-api', 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': 'llmops-rag' };

/** The dev objects as `nx run k8s-manifests:synth` writes them (trimmed to what the deploy reads). */
export function devObjects(): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'dev',
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': 'llmops-rag', 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'rag-api-config', namespace: 'dev', labels: LABELS },
      data: { APP_ENV: 'dev', AWS_REGION: 'ap-southeast-2', DOCUMENTS_BUCKET: 'llmops-rag-documents-dev', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '5' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'rag-api-secrets', namespace: 'dev', labels: LABELS, annotations: { 'llmops-rag.io/secret-values': 'placeholders written by synth' } },
      stringData: { OPENAI_API_KEY: 'placeholder-not-a-real-key' },
      type: 'Opaque',
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'rag-api', namespace: 'dev', labels: LABELS }, automountServiceAccountToken: false },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'rag-api', namespace: 'dev', labels: LABELS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'rag-api' } },
        template: {
          metadata: { labels: LABELS, annotations: { 'checksum/config': '0123abcd' } },
          spec: {
            serviceAccountName: 'rag-api',
            containers: [{ name: 'api', image: 'llmops-rag-api:latest', imagePullPolicy: 'Never', ports: [{ name: 'http', containerPort: 8000 }] }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'rag-api-service', namespace: 'dev', labels: LABELS },
      spec: { type: 'ClusterIP', selector: { app: 'rag-api' }, ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }] },
    },
  ];
}

/**
 * A `docker save`-shaped archive whose config digest is `configId`, tagged latest and, as `docker-archive` writes
 * them now, with the immutable tag of that ID; `{ idTag: false }` for an archive built before that tag existed.
 */
export function writeImageArchive(tarPath: string, configId: string, { idTag = true }: { idTag?: boolean } = {}): void {
  const repoTags = [imageRef(LATEST_TAG), ...(idTag ? [imageRef(imageIdTag(configId))] : [])];
  const root = mkdtempSync(join(tmpdir(), 'image-layout-'));
  mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(root, 'blobs', 'sha256', configId), '{"architecture":"amd64"}');
  writeFileSync(join(root, 'manifest.json'), JSON.stringify([{ Config: `blobs/sha256/${configId}`, RepoTags: repoTags, Layers: [] }]));
  const made = spawnSync('tar', ['-cf', tarPath, '-C', root, 'blobs', 'manifest.json']);
  if (made.status !== 0) throw new Error(made.stderr.toString());
}

/** A throwaway workspace: nx.json, dist/k8s/dev (one YAML per object + kustomization) and dist/images. */
export function makeWorkspace(configId: string, objects: KubeObject[] = devObjects(), archive: { idTag?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'deploy-ws-'));
  writeFileSync(join(root, 'nx.json'), '{}');
  const dir = join(root, 'dist', 'k8s', 'dev');
  mkdirSync(dir, { recursive: true });
  const files = objects.map((o) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
  objects.forEach((o, i) => writeFileSync(join(dir, files[i] as string), `# Generated\n${stringify(o)}`));
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }));
  mkdirSync(join(root, 'dist', 'images'), { recursive: true });
  writeImageArchive(join(root, 'dist', 'images', 'llmops-rag-api.tar'), configId, archive);
  return root;
}
