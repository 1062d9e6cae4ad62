import { describe, expect, it } from 'vitest';
import { devProfile, prodProfile, SchemaValidator, validateSchemas, validateWithModels } from '../../index.js';
import { mutate, objectsOf, type Editable } from '../../testing/objects.js';

const prod = objectsOf(prodProfile);
const schema = new SchemaValidator();
const deploymentWith = (change: (d: Editable) => void) => mutate(prod, 'Deployment', 'rag-api', change).find((o) => o.kind === 'Deployment')!;

describe('structural validation of the synthesized objects', () => {
  it('both profiles pass both validators', () => {
    expect(validateSchemas(objectsOf(devProfile))).toEqual([]);
    expect(validateSchemas(prod)).toEqual([]);
  });
});

describe('ajv over the generated strict JSON Schema', () => {
  it('rejects a typo field with the object and JSON path', () => {
    const issues = schema.validate(deploymentWith((d) => (d.spec.template.spec.containers[0].readinesProbe = {})));
    expect(issues).toEqual([
      expect.objectContaining({
        source: 'schema',
        object: 'Deployment/rag-api',
        path: '/spec/template/spec/containers/0/readinesProbe',
        message: 'unknown field "readinesProbe"',
      }),
    ]);
  });

  it('rejects string replicas', () => {
    const issues = schema.validate(deploymentWith((d) => (d.spec.replicas = '2')));
    expect(issues).toEqual([expect.objectContaining({ object: 'Deployment/rag-api', path: '/spec/replicas', message: 'must be number' })]);
  });

  it('rejects a missing metadata.name', () => {
    const issues = schema.validate(deploymentWith((d) => delete d.metadata.name));
    expect(issues).toEqual([expect.objectContaining({ object: 'Deployment/<unnamed>', path: '/metadata/name', message: 'missing required field "name"' })]);
  });

  it('rejects a missing required field (containers)', () => {
    const issues = schema.validate(deploymentWith((d) => delete d.spec.template.spec.containers));
    expect(issues.map((i) => i.path)).toContain('/spec/template/spec/containers');
  });

  it('rejects a bad quantity', () => {
    const issues = schema.validate(deploymentWith((d) => (d.spec.template.spec.containers[0].resources.limits.memory = '512MB')));
    expect(issues).toEqual([
      expect.objectContaining({ path: '/spec/template/spec/containers/0/resources/limits/memory', fix: expect.stringContaining('128Mi') }),
    ]);
  });

  it('rejects a value outside an enum', () => {
    const issues = schema.validate(mutate(prod, 'Service', 'rag-api-service', (s) => (s.spec.type = 'ClusterIp')).find((o) => o.kind === 'Service')!);
    expect(issues).toEqual([expect.objectContaining({ object: 'Service/rag-api-service', path: '/spec/type' })]);
  });

  it('rejects a kind it has no schema for', () => {
    expect(schema.validate({ apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'x' } })[0]?.message).toMatch(/no schema/);
  });
});

describe('kubernetes-models validate()', () => {
  it('rejects string replicas', () => {
    expect(validateWithModels(deploymentWith((d) => (d.spec.replicas = '2')))).toEqual([
      expect.objectContaining({ source: 'models', object: 'Deployment/rag-api', path: '/spec/replicas', message: 'must be integer' }),
    ]);
  });

  it('rejects a bad quantity through the quantity format', () => {
    const issues = validateWithModels(deploymentWith((d) => (d.spec.template.spec.containers[0].resources.requests.cpu = '100 millicores')));
    expect(issues).toEqual([
      expect.objectContaining({ path: '/spec/template/spec/containers/0/resources/requests/cpu', message: 'must match format "quantity"' }),
    ]);
  });

  it('rejects an int32 overflow the JSON Schema cannot see', () => {
    const broken = deploymentWith((d) => (d.spec.revisionHistoryLimit = 2 ** 40));
    expect(schema.validate(broken)).toEqual([]);
    expect(validateWithModels(broken)).toEqual([expect.objectContaining({ path: '/spec/revisionHistoryLimit', message: 'must match format "int32"' })]);
  });

  it('does not see typos or a missing name, which is why ajv runs too', () => {
    expect(validateWithModels(deploymentWith((d) => (d.spec.replicaz = 2)))).toEqual([]);
    expect(validateWithModels(deploymentWith((d) => delete d.metadata.name))).toEqual([]);
  });
});
