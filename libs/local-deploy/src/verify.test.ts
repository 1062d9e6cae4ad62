import { describe, expect, it } from 'vitest';
import { Checklist, formatChecklist } from './checklist.js';
import { FakeKube, pod, SPEC_BODIES } from './testing/fakes.js';
import type { KubeObject } from '@llmops-rag/contract';
import { verifyDeployment, type VerifyInputs } from './verify.js';

const CONFIG: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'rag-api-config', namespace: 'dev' },
  data: { APP_ENV: 'dev', AWS_REGION: 'ap-southeast-2', DOCUMENTS_BUCKET: 'llmops-rag-documents-dev', LOG_LEVEL: 'info' },
};
const SECRET_VALUE = 'sk-live-do-not-print-me';
const INPUTS: VerifyInputs = {
  target: { namespace: 'dev', deployment: 'rag-api', selector: 'app=rag-api', container: 'api' },
  service: 'rag-api-service',
  configMap: CONFIG,
  secretName: 'rag-api-secrets',
  secretKeys: ['OPENAI_API_KEY'],
  startupLine: 'Application startup complete',
};

function healthyCluster(): FakeKube {
  const kube = new FakeKube();
  const running = pod('rag-api-5f7c');
  (running.spec as { containers: { resources?: unknown }[] }).containers[0]!.resources = {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  };
  kube.put(running);
  kube.metricsApi = 'served';
  kube.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rag-api-service', namespace: 'dev' }, spec: { ports: [{ port: 80, targetPort: 8000 }] } });
  kube.put({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'rag-api-secrets', namespace: 'dev' },
    data: { OPENAI_API_KEY: Buffer.from(SECRET_VALUE).toString('base64') },
  });
  kube.endpoints = { ...SPEC_BODIES };
  kube.env = { ...(CONFIG.data as Record<string, string>), OPENAI_API_KEY: SECRET_VALUE, PORT: '8000' };
  kube.logText = '{"level":30,"address":"http://0.0.0.0:8000","msg":"Application startup complete"}';
  return kube;
}

describe('verifyDeployment', () => {
  it('ticks every item of the spec checklist on a healthy deployment, through a real port-forwarded HTTP server', async () => {
    const checklist = new Checklist();
    await verifyDeployment(healthyCluster(), INPUTS, checklist);
    expect(checklist.results.map((r) => `${r.skipped ? '-' : r.ok ? '✓' : '✗'} ${r.name}`)).toEqual([
      '✓ Pods Running and Ready',
      '✓ Port-forward service/rag-api-service',
      '✓ GET /health',
      '✓ GET /health/ready',
      '✓ GET /health/live',
      '✓ GET /',
      '✓ ConfigMap values in container env',
      '✓ Secret present (keys only)',
      '✓ Startup line in logs',
      '✓ Pod CPU and memory (kubectl top)',
    ]);
    const text = formatChecklist(checklist.results);
    expect(text).toContain('CPU 3m / 100m requested, limit 500m; memory 48Mi / 128Mi requested, limit 512Mi');
    expect(text).toContain('{"status":"ready","checks":{"api":"ok"}}');
    expect(text).toContain('4 keys match (APP_ENV=dev, AWS_REGION=ap-southeast-2, DOCUMENTS_BUCKET=llmops-rag-documents-dev)');
    expect(text).toContain('rag-api-secrets: 1 item (OPENAI_API_KEY)');
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  });

  it('marks a wrong body, a drifted env value and a missing secret key with ✗ and says what differs', async () => {
    const kube = healthyCluster();
    kube.endpoints['/health/ready'] = { status: 'not_ready', checks: { api: 'shutting_down' } };
    kube.env.AWS_REGION = 'us-east-1';
    kube.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rag-api-secrets', namespace: 'dev' }, data: {} });
    const checklist = new Checklist();
    await verifyDeployment(kube, INPUTS, checklist);
    const failed = Object.fromEntries(checklist.results.filter((r) => !r.ok).map((r) => [r.name, r.detail]));
    expect(failed).toEqual({
      'GET /health/ready': 'status is "not_ready", want "ready": {"status":"not_ready","checks":{"api":"shutting_down"}}',
      'ConfigMap values in container env': 'env differs from rag-api-config: AWS_REGION=us-east-1 want ap-southeast-2',
      'Secret present (keys only)': 'Secret rag-api-secrets lacks OPENAI_API_KEY (has nothing)',
    });
    expect(checklist.failed).toBe(true);
  });

  it('does not port-forward to a pod that is not Ready', async () => {
    const kube = healthyCluster();
    kube.put(pod('rag-api-5f7c', { containerStatuses: [{ name: 'api', ready: false, restartCount: 2, state: { running: {} } }] }));
    const checklist = new Checklist();
    await verifyDeployment(kube, INPUTS, checklist);
    expect(checklist.results[0]).toMatchObject({ ok: false, detail: '0/1 pods Running and Ready (rag-api-5f7c=Running)' });
    expect(checklist.results.find((r) => r.name === 'GET /health')).toMatchObject({ ok: false, detail: 'no Ready pod to reach' });
  });

  it('passes without a metrics API: the usage step is skipped with the fix, after the other checks', async () => {
    const kube = healthyCluster();
    kube.metricsApi = 'absent';
    const checklist = new Checklist();
    await verifyDeployment(kube, { ...INPUTS, usageWaitMs: 200, usagePollMs: 20 }, checklist);
    expect(checklist.failed).toBe(false);
    expect(checklist.results.at(-1)).toMatchObject({ name: 'Pod CPU and memory (kubectl top)', skipped: true });
    expect(checklist.results.at(-1)?.detail).toContain(
      'no metrics API on this cluster (metrics.k8s.io/v1beta1: 404 page not found); fix: install metrics-server',
    );
  });
});
