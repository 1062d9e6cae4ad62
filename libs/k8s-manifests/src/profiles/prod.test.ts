import { describe, expect, it, vi } from 'vitest';
import { findObject } from '@llmops-rag/contract';
import { synthProfile } from '../synth/synth-profile.js';
import { prodProfile } from './prod.js';

/** A version nothing else uses: a prod profile that hard-codes its tag fails here. */
const { BUMPED } = vi.hoisted(() => ({ BUMPED: '9.8.7-contract-test' }));
vi.mock('@llmops-rag/contract', async (importOriginal) => ({ ...(await importOriginal<typeof import('@llmops-rag/contract')>()), APP_VERSION: BUMPED }));

describe('prod profile', () => {
  it("runs the image tag of the app's version (libs/contract), the tag tools/image builds", () => {
    expect(prodProfile.image).toBe(`llmops-rag-api:${BUMPED}`);
    const deployment = findObject(synthProfile(prodProfile).objects, 'Deployment', 'rag-api') as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.template.spec.containers.map((c) => c.image)).toEqual([`llmops-rag-api:${BUMPED}`]);
  });
});
