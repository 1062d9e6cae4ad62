import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { idsForImage, imageCommands, loadImage, normalizeRef } from './cluster-kinds.js';
import { imageIdsInArchive } from './image-archive.js';
import { BufferOutput, FakeRunner } from './testing/fakes.js';

const ID = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const dir = mkdtempSync(join(tmpdir(), 'deploy-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A docker-save-shaped archive made with the system tar (a layer blob, manifest.json, index.json). */
function archive(): string {
  const root = join(dir, 'image');
  mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(root, 'blobs', 'sha256', ID), '{"architecture":"amd64"}');
  writeFileSync(join(root, 'blobs', 'sha256', 'c'.repeat(64)), Buffer.alloc(5000, 1));
  writeFileSync(join(root, 'manifest.json'), JSON.stringify([{ Config: `blobs/sha256/${ID}`, RepoTags: ['llmops-rag-api:latest'], Layers: [] }]));
  writeFileSync(join(root, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${'d'.repeat(64)}` }] }));
  const tar = join(dir, 'llmops-rag-api.tar');
  const made = spawnSync('tar', ['-cf', tar, '-C', root, 'blobs', 'index.json', 'manifest.json']);
  if (made.status !== 0) throw new Error(made.stderr.toString());
  return tar;
}

describe('imageIdsInArchive', () => {
  it('reads the config digest and index digests from a docker save archive', () => {
    const ids = imageIdsInArchive(archive());
    expect(ids.ids).toEqual([ID, 'd'.repeat(64)]);
    expect(ids.repoTags).toEqual(['llmops-rag-api:latest']);
  });

  it('names a file that is not an image archive', () => {
    const bogus = join(dir, 'bogus.tar');
    writeFileSync(bogus, Buffer.alloc(1024));
    expect(() => imageIdsInArchive(bogus)).toThrow(/no manifest.json with a Config digest/);
  });
});

describe('idsForImage', () => {
  it('reads minikube image ls --format json', () => {
    const out = JSON.stringify([
      { id: ID, repoDigests: [], repoTags: ['docker.io/library/llmops-rag-api:latest'], size: '200MB' },
      { id: OTHER, repoTags: ['registry.k8s.io/pause:3.10'] },
    ]);
    expect(idsForImage(out, 'llmops-rag-api:latest')).toEqual([ID]);
  });

  it('reads crictl images -o json', () => {
    const out = JSON.stringify({ images: [{ id: `sha256:${ID}`, repoTags: ['docker.io/library/llmops-rag-api:latest'] }] });
    expect(idsForImage(out, 'llmops-rag-api:latest')).toEqual([ID]);
  });

  it('reads docker image ls JSON lines', () => {
    const out = [`{"ID":"sha256:${OTHER}","Repository":"node","Tag":"24"}`, `{"ID":"sha256:${ID}","Repository":"llmops-rag-api","Tag":"latest"}`].join('\n');
    expect(idsForImage(out, 'llmops-rag-api:latest')).toEqual([ID]);
  });

  it('normalises image references', () => {
    expect(normalizeRef('docker.io/library/llmops-rag-api')).toBe('llmops-rag-api:latest');
  });
});

describe('imageCommands', () => {
  it("uses each kind's own loader", () => {
    expect(imageCommands({ kind: 'minikube', target: 'minikube' }, '/x.tar').load).toEqual([['minikube', '-p', 'minikube', 'image', 'load', '/x.tar']]);
    expect(imageCommands({ kind: 'kind', target: 'dev' }, '/x.tar').load).toEqual([['kind', 'load', 'image-archive', '/x.tar', '--name', 'dev']]);
    expect(imageCommands({ kind: 'k3d', target: 'dev' }, '/x.tar').load).toEqual([['k3d', 'image', 'import', '/x.tar', '-c', 'dev']]);
    expect(imageCommands({ kind: 'docker-desktop', target: 'docker-desktop' }, '/x.tar').load).toEqual([['docker', 'load', '-i', '/x.tar']]);
    expect(imageCommands({ kind: 'k3s-container', target: 'abc' }, '/x.tar').load.map((c) => c.slice(0, 4).join(' '))).toEqual([
      'docker cp /x.tar abc:/tmp/llmops-rag-api.image.tar',
      'docker exec abc ctr',
      'docker exec abc rm',
    ]);
  });
});

describe('loadImage', () => {
  const tar = { path: '/ws/dist/images/llmops-rag-api.tar', ids: [ID] };

  it('skips the load when the cluster already has the same image id (second run is quick)', async () => {
    const runner = new FakeRunner(['minikube'], () => ({ stdout: JSON.stringify([{ id: ID, repoTags: ['docker.io/library/llmops-rag-api:latest'] }]) }));
    const outcome = await loadImage(runner, { kind: 'minikube', target: 'minikube' }, tar, 'llmops-rag-api:latest', new BufferOutput());
    expect(outcome.loaded).toBe(false);
    expect(runner.calls).toEqual(['minikube -p minikube image ls --format json']);
  });

  it('loads when the cluster has an older build', async () => {
    const runner = new FakeRunner(['minikube'], (_c, args) =>
      args.includes('ls') ? { stdout: JSON.stringify([{ id: OTHER, repoTags: ['docker.io/library/llmops-rag-api:latest'] }]) } : {},
    );
    const outcome = await loadImage(runner, { kind: 'minikube', target: 'minikube' }, tar, 'llmops-rag-api:latest', new BufferOutput());
    expect(outcome).toEqual({ loaded: true, reason: 'replaced an older llmops-rag-api:latest' });
    expect(runner.calls).toContain(`minikube -p minikube image load ${tar.path}`);
  });

  it('imports into a k3s container with docker cp and ctr', async () => {
    const runner = new FakeRunner(['docker'], (_c, args) => (args.includes('crictl') ? { stdout: '{"images":[]}' } : {}));
    await loadImage(runner, { kind: 'k3s-container', target: 'abc' }, tar, 'llmops-rag-api:latest', new BufferOutput());
    expect(runner.calls.slice(1)).toEqual([
      `docker cp ${tar.path} abc:/tmp/llmops-rag-api.image.tar`,
      'docker exec abc ctr -n k8s.io images import /tmp/llmops-rag-api.image.tar',
      'docker exec abc rm -f /tmp/llmops-rag-api.image.tar',
    ]);
  });

  it('reports a failed load with the command and a fix', async () => {
    const runner = new FakeRunner(['kind'], (c) => (c === 'kind' ? { code: 1, stderr: 'ERROR: no nodes found for cluster "dev"' } : { code: 1 }));
    await expect(loadImage(runner, { kind: 'kind', target: 'dev' }, tar, 'llmops-rag-api:latest', new BufferOutput())).rejects.toThrow(
      /`kind load image-archive \/ws\/dist\/images\/llmops-rag-api.tar --name dev` exited 1\nERROR: no nodes found/,
    );
  });
});
