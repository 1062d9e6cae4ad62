import { describe, expect, it } from 'vitest';
import { generateSchemaFile } from './generate-schema.js';
import { loadGeneratedSchema } from './load-schema.js';

describe('generated JSON Schema', () => {
  it('is up to date with kubernetes-models (run `nx run k8s-manifests:generate-schema` if not)', () => {
    expect(loadGeneratedSchema()).toEqual(generateSchemaFile());
  });

  it('is strict: every object definition rejects unknown fields', () => {
    const { definitions } = loadGeneratedSchema().schema;
    const deploymentSpec = definitions['apps.v1.DeploymentSpec'] as { additionalProperties: unknown; required: string[] };
    expect(deploymentSpec.additionalProperties).toBe(false);
    expect(deploymentSpec.required).toEqual(['selector', 'template']);
    const open = Object.entries(definitions).filter(
      ([, d]) => (d as { type?: string }).type === 'object' && (d as { additionalProperties?: unknown }).additionalProperties === undefined,
    );
    expect(open).toEqual([]);
  });
});
