import { describe, expect, it } from 'vitest';
import { findObject } from '@llmops-rag/contract';
import { deployImage } from './deploy-image.js';
import { withContainerImage } from './phases/objects.js';
import { devObjects } from './testing/workspace.js';

const ID = `abcdef012345${'9'.repeat(52)}`;

describe('deployImage: the image the Deployment names', () => {
  it("is the archive's immutable id tag when its manifest lists it, however the repository is spelled", () => {
    expect(deployImage({ id: ID, repoTags: ['llmops-rag-api:latest', 'llmops-rag-api:id-abcdef012345'] })).toEqual({
      ref: 'llmops-rag-api:id-abcdef012345',
      pinned: true,
    });
    expect(deployImage({ id: ID, repoTags: ['docker.io/library/llmops-rag-api:id-abcdef012345'] }).pinned).toBe(true);
  });

  it('is latest for an archive without it, one whose id tag is another build, or no archive', () => {
    expect(deployImage({ id: ID, repoTags: ['llmops-rag-api:latest'] })).toEqual({ ref: 'llmops-rag-api:latest', pinned: false });
    expect(deployImage({ id: ID, repoTags: ['llmops-rag-api:latest', 'llmops-rag-api:id-000000000000'] }).pinned).toBe(false);
    expect(deployImage(undefined)).toEqual({ ref: 'llmops-rag-api:latest', pinned: false });
  });
});

describe('withContainerImage', () => {
  it('sets only the named container, on a copy', () => {
    const deployment = findObject(devObjects(), 'Deployment', 'rag-api');
    const pinned = withContainerImage(deployment, 'api', 'llmops-rag-api:id-abcdef012345');
    expect((pinned.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image).toBe(
      'llmops-rag-api:id-abcdef012345',
    );
    expect((deployment.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image).toBe('llmops-rag-api:latest');
  });

  it('names the container it cannot find and the fix', () => {
    const deployment = findObject(devObjects(), 'Deployment', 'rag-api');
    expect(() => withContainerImage(deployment, 'web', 'x:y')).toThrow(
      'Deployment rag-api has no container named web to run x:y\nfix: regenerate the manifests: npx nx run k8s-manifests:synth',
    );
  });
});
