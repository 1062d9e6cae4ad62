import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { devProfile, prodProfile, synthProfile, writeProfile } from '../index.js';

describe.each([devProfile, prodProfile])('writeProfile ($name)', (profile) => {
  const result = synthProfile(profile);
  const dir = join(mkdtempSync(join(tmpdir(), 'k8s-manifests-')), profile.name);
  const files = writeProfile(result, dir);

  it('writes one YAML per object plus kustomization.yaml listing them', () => {
    expect(readdirSync(dir).sort()).toEqual([...files].sort());
    expect(files.at(-1)).toBe('kustomization.yaml');
    const kustomization = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
    for (const file of files.slice(0, -1)) expect(kustomization).toContain(`- ${file}`);
    expect(files).toContain('deployment-rag-api.yaml');
  });

  it('`kubectl kustomize` builds the directory into the same objects', () => {
    const built = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const objects = parseAllDocuments(built.stdout).map((d) => d.toJS());
    const key = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;
    expect(objects.map(key).sort()).toEqual(result.objects.map((o) => key(o as never)).sort());
    expect(objects.find((o) => o.kind === 'Deployment')).toEqual(result.objects.find((o) => o.kind === 'Deployment'));
  });

  it('rewrites the directory from scratch (no stale files)', () => {
    writeProfile({ ...result, objects: result.objects.filter((o) => o.kind !== 'Service') }, dir);
    expect(readdirSync(dir)).not.toContain('service-rag-api-service.yaml');
    writeProfile(result, dir);
  });
});
