import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@llmops-rag/platform';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '@llmops-rag/contract';
import { isKind, type Container, type Deployment } from '../kube-types.js';

export const WORKSPACE_ROOT = workspaceRoot();

/**
 * Runs the real synth CLI (what `nx run k8s-manifests:synth` runs) into a
 * temporary folder and returns it; the tests rehearse exactly those files.
 */
export function synthToTemp(): string {
  const out = mkdtempSync(join(tmpdir(), 'rehearsal-synth-'));
  const result = spawnSync('npx', ['tsx', '--tsconfig', 'libs/k8s-manifests/tsconfig.json', 'libs/k8s-manifests/src/cmd/synth.ts', '--out', out], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (result.status !== 0) throw new Error(`synth failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return out;
}

/**
 * A copy of a profile folder with its Deployment changed (every other file as
 * it is), for the negative cases: a broken probe, a tiny memory limit...
 */
export function profileWith(dir: string, change: (deployment: Deployment, container: Container) => void): string {
  const copy = mkdtempSync(join(tmpdir(), 'rehearsal-profile-'));
  cpSync(dir, copy, { recursive: true });
  for (const file of readdirSync(copy).filter((f) => f.endsWith('.yaml'))) {
    const path = join(copy, file);
    const docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as KubeObject);
    const deployment = docs.find((d) => d && isKind(d, 'Deployment'));
    if (!deployment) continue;
    const container = deployment.spec.template.spec.containers[0];
    if (!container) throw new Error(`${path}: Deployment without containers`);
    change(deployment, container);
    writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
  }
  return copy;
}

/** Probes that start at once and run every second, so a negative case fails fast. */
export function fastProbes(_deployment: Deployment, container: Container): void {
  for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
    if (!probe) continue;
    probe.initialDelaySeconds = 0;
    probe.periodSeconds = 1;
  }
}
