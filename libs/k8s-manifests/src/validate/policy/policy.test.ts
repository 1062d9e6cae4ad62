import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@llmops-rag/contract';
import { devProfile, evaluatePolicy, POLICY_RULES, prodProfile, RULE_IDS, type RuleId, validateObjects } from '../../index.js';
import { mutate, objectsOf, without, type Editable } from '../../testing/objects.js';

const prod = objectsOf(prodProfile, { awsAccountId: '123456789012' });
const failedRules = (objects: KubeObject[]) => [...new Set(evaluatePolicy(objects).failures.map((f) => f.rule))].sort();
const pod = (d: Editable) => d.spec.template.spec;
const api = (d: Editable) => d.spec.template.spec.containers[0];

/** One broken fixture per rule: prod with exactly that mistake. */
const broken: Record<Exclude<RuleId, 'K8S-IAM-001'>, () => KubeObject[]> = {
  'K8S-SEC-001': () =>
    mutate(prod, 'Deployment', 'rag-api', (d) => {
      api(d).securityContext.runAsUser = 1000;
      pod(d).securityContext.runAsUser = 1000;
    }),
  'K8S-SEC-002': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).securityContext.readOnlyRootFilesystem = false)),
  'K8S-SEC-003': () => mutate(prod, 'Deployment', 'rag-api', (d) => delete api(d).securityContext.allowPrivilegeEscalation),
  'K8S-SEC-004': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).securityContext.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] })),
  'K8S-SEC-005': () =>
    mutate(prod, 'Deployment', 'rag-api', (d) => {
      delete api(d).securityContext.seccompProfile;
      delete pod(d).securityContext.seccompProfile;
    }),
  'K8S-SEC-006': () =>
    mutate(
      mutate(prod, 'Deployment', 'rag-api', (d) => delete pod(d).automountServiceAccountToken),
      'ServiceAccount',
      'rag-api',
      (s) => delete s.automountServiceAccountToken,
    ),
  'K8S-SEC-007': () => mutate(prod, 'Secret', 'rag-api-secrets', (s) => (s.stringData.OPENAI_API_KEY = 'sk-live-4f9a8b7c6d5e')),
  'K8S-SEC-008': () => mutate(prod, 'Deployment', 'rag-api', (d) => delete pod(d).serviceAccountName),
  'K8S-IMG-001': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).image = 'llmops-rag-api:latest')),
  'K8S-IMG-002': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).imagePullPolicy = 'Never')),
  'K8S-IMG-003': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).image = 'not_a_valid_IMAGE::')),
  'K8S-RES-001': () => mutate(prod, 'Deployment', 'rag-api', (d) => delete api(d).resources.limits.memory),
  'K8S-RES-002': () => mutate(prod, 'Deployment', 'rag-api', (d) => delete api(d).resources.requests['ephemeral-storage']),
  'K8S-RES-003': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).resources.requests.memory = '1Gi')),
  'K8S-PRB-001': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).readinessProbe = structuredClone(api(d).livenessProbe))),
  'K8S-PRB-002': () => mutate(prod, 'Deployment', 'rag-api', (d) => delete api(d).startupProbe),
  'K8S-PRB-003': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).readinessProbe.httpGet.port = 8080)),
  'K8S-REL-001': () => mutate(prod, 'HorizontalPodAutoscaler', 'rag-api', (h) => (h.spec.minReplicas = 1)),
  'K8S-REL-002': () => without(prod, 'PodDisruptionBudget'),
  'K8S-REL-003': () => mutate(prod, 'Deployment', 'rag-api', (d) => (pod(d).topologySpreadConstraints = pod(d).topologySpreadConstraints.slice(1))),
  'K8S-REL-004': () => mutate(prod, 'Deployment', 'rag-api', (d) => (pod(d).terminationGracePeriodSeconds = 5)),
  'K8S-REL-005': () =>
    without(prod, 'HorizontalPodAutoscaler').map((o) => (o.kind === 'Deployment' ? mutate([o], 'Deployment', 'rag-api', (d) => (d.spec.replicas = 2))[0]! : o)),
  'K8S-REL-006': () => mutate(prod, 'Deployment', 'rag-api', (d) => (d.spec.strategy = { type: 'Recreate' })),
  'K8S-NET-001': () => without(prod, 'NetworkPolicy'),
  'K8S-NET-002': () => mutate(prod, 'Service', 'rag-api-service', (s) => (s.spec.ports[0].targetPort = 8080)),
  'K8S-CFG-001': () => mutate(prod, 'ConfigMap', 'rag-api-config', (c) => (c.data.LOG_LEVEL = 'debug')),
  'K8S-CFG-002': () => mutate(prod, 'Deployment', 'rag-api', (d) => (api(d).envFrom[1].secretRef.name = 'rag-api-secret')),
};

describe('policy rules', () => {
  it('every rule has a unique id, a title and a one-line fix', () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
    for (const rule of POLICY_RULES) {
      expect(rule.id).toMatch(/^K8S-[A-Z]{3}-\d{3}$/);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.fix).not.toContain('\n');
    }
  });

  it('prod passes every rule with a real account id', () => {
    const result = evaluatePolicy(prod, prodProfile.waivers);
    expect(result.failures).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.waived).toEqual([]);
  });

  it.each(Object.entries(broken))('%s fires on its broken fixture, and only it', (rule, fixture) => {
    const failures = evaluatePolicy(fixture()).failures;
    expect(failures.length).toBeGreaterThan(0);
    expect(failedRules(fixture())).toEqual([rule]);
    for (const f of failures)
      expect(f).toMatchObject({ object: expect.stringMatching(/^\w+\/[\w-]+$/), path: expect.stringMatching(/^\//), fix: expect.any(String) });
  });

  it('K8S-IAM-001 warns (not fails) about the placeholder IRSA account', () => {
    const result = evaluatePolicy(objectsOf(prodProfile));
    expect(result.failures).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ rule: 'K8S-IAM-001', object: 'ServiceAccount/rag-api', message: expect.stringContaining('000000000000') }),
    ]);
  });

  it('dev passes only through its written waivers; each waived rule really fires', () => {
    const dev = objectsOf(devProfile);
    const report = validateObjects(devProfile, dev);
    expect(report.ok).toBe(true);
    expect(report.policy.unusedWaivers).toEqual([]);
    expect([...new Set(report.policy.waived.map((w) => w.rule))].sort()).toEqual(devProfile.waivers.map((w) => w.rule).sort());
    for (const w of report.policy.waived) expect(w.reason.length).toBeGreaterThan(20);
    expect(evaluatePolicy(dev).failures.length).toBeGreaterThan(0);
  });

  it('a waiver nothing violates is reported as stale', () => {
    const result = evaluatePolicy(prod, [{ rule: 'K8S-SEC-002', reason: 'old' }]);
    expect(result.unusedWaivers).toEqual([{ rule: 'K8S-SEC-002', reason: 'old' }]);
  });
});

describe('README', () => {
  it('lists every rule with its fix and every dev waiver with its reason', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
    for (const rule of POLICY_RULES) expect(readme).toContain(`| ${rule.id} | ${rule.severity} | ${rule.title} | ${rule.fix} |`);
    for (const waiver of devProfile.waivers) expect(readme).toContain(`| ${waiver.rule} | ${waiver.reason} |`);
  });
});
