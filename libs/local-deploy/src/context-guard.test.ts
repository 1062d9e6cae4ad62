import { describe, expect, it } from 'vitest';
import { detectCluster, type ClusterFacts, type ContextInfo } from './cluster-kinds.js';
import { guardContext } from './context-guard.js';
import { PreflightError } from './preflight-error.js';

const NO_FACTS: ClusterFacts = { minikubeProfiles: [], containers: [] };
const MINIKUBE: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
const EKS: ContextInfo = {
  name: 'arn:aws:eks:ap-southeast-2:123456789012:cluster/llmops-rag-prod',
  cluster: 'prod',
  server: 'https://ABC.gr7.ap-southeast-2.eks.amazonaws.com',
};

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PreflightError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('guardContext for deploy-minikube', () => {
  it('accepts the minikube context', () => {
    expect(guardContext(MINIKUBE, { mode: 'minikube', profile: 'minikube' }, { ...NO_FACTS, minikubeProfiles: ['minikube'] }).cluster).toEqual({
      kind: 'minikube',
      target: 'minikube',
    });
  });

  it('refuses a shared cluster, naming the flag that would allow it', () => {
    const message = refusal(() => guardContext(EKS, { mode: 'minikube', profile: 'minikube' }, NO_FACTS));
    expect(message).toContain(`refusing to deploy to "${EKS.name}"`);
    expect(message).toContain('`kubectl config use-context minikube`');
    expect(message).toContain(`--allow-context=${EKS.name}`);
  });

  it('allows it only with the exact context name, and warns', () => {
    expect(() => guardContext(EKS, { mode: 'minikube', profile: 'minikube' }, NO_FACTS, 'prod')).toThrow(PreflightError);
    const allowed = guardContext(EKS, { mode: 'minikube', profile: 'minikube' }, NO_FACTS, EKS.name);
    expect(allowed.cluster).toBeUndefined();
    expect(allowed.warning).toContain('because --allow-context=');
  });

  it('refuses a kind cluster and points at deploy-local', () => {
    const kind: ContextInfo = { name: 'kind-dev', cluster: 'kind-dev', server: 'https://127.0.0.1:40123' };
    expect(refusal(() => guardContext(kind, { mode: 'minikube', profile: 'minikube' }, NO_FACTS))).toContain('deploy-local');
  });

  it('refuses another minikube profile than the one asked for', () => {
    const other: ContextInfo = { ...MINIKUBE, name: 'demo' };
    expect(refusal(() => guardContext(other, { mode: 'minikube', profile: 'minikube' }, { ...NO_FACTS, minikubeProfiles: ['demo', 'minikube'] }))).toContain(
      'it is minikube profile "demo", not "minikube"',
    );
  });

  it('explains an empty context', () => {
    expect(refusal(() => guardContext(undefined, { mode: 'minikube', profile: 'minikube' }, NO_FACTS))).toContain('minikube start --driver=docker');
  });
});

describe('guardContext for deploy-local', () => {
  it.each([
    [
      { name: 'kind-llmops', cluster: 'kind-llmops', server: 'https://127.0.0.1:40123' },
      { kind: 'kind', target: 'llmops' },
    ],
    [
      { name: 'k3d-dev', cluster: 'k3d-dev', server: 'https://0.0.0.0:6550' },
      { kind: 'k3d', target: 'dev' },
    ],
    [
      { name: 'docker-desktop', cluster: 'docker-desktop', server: 'https://kubernetes.docker.internal:6443' },
      { kind: 'docker-desktop', target: 'docker-desktop' },
    ],
    [MINIKUBE, { kind: 'minikube', target: 'minikube' }],
  ] as const)('recognises %s', (ctx, expected) => {
    expect(guardContext(ctx, { mode: 'local' }, NO_FACTS).cluster).toEqual(expected);
  });

  it('recognises a k3s container by the port its API server is published on', () => {
    const ctx: ContextInfo = { name: 'default', cluster: 'default', server: 'https://localhost:32771' };
    const facts: ClusterFacts = {
      minikubeProfiles: [],
      containers: [
        { id: 'aaa111', image: 'postgres:16', ports: '0.0.0.0:32770->5432/tcp' },
        { id: 'f00dcafe', image: 'rancher/k3s:v1.31.4-k3s1', ports: '0.0.0.0:32771->6443/tcp, 0.0.0.0:32772->8443/tcp' },
      ],
    };
    expect(guardContext(ctx, { mode: 'local' }, facts).cluster).toEqual({ kind: 'k3s-container', target: 'f00dcafe' });
  });

  it('refuses a context named like kind that points at a remote server', () => {
    const fake: ContextInfo = { name: 'kind-prod', cluster: 'kind-prod', server: 'https://k8s.example.com:6443' };
    expect(refusal(() => guardContext(fake, { mode: 'local' }, NO_FACTS))).toContain(
      'is named like kind but its server https://k8s.example.com:6443 is not on this machine',
    );
  });

  it('refuses an unknown loopback cluster and remote clusters', () => {
    expect(refusal(() => guardContext({ name: 'default', cluster: 'default', server: 'https://127.0.0.1:6443' }, { mode: 'local' }, NO_FACTS))).toContain(
      'no minikube profile, kind, k3d, Docker Desktop or k3s container matches it',
    );
    expect(refusal(() => guardContext(EKS, { mode: 'local' }, NO_FACTS))).toContain('which is not a local cluster');
  });

  it('lets an allowed unknown context through without an image loader', () => {
    const result = guardContext(EKS, { mode: 'local' }, NO_FACTS, EKS.name);
    expect(result.cluster).toBeUndefined();
    expect(result.warning).toContain(`deploying to context "${EKS.name}" anyway because --allow-context=${EKS.name}`);
    expect(guardContext(EKS, { mode: 'local' }, NO_FACTS, EKS.name, 'tear down').warning).toContain(`tearing down context "${EKS.name}" anyway`);
  });
});

describe('detectCluster', () => {
  it('uses minikube profile list for non-default profiles', () => {
    expect(detectCluster({ name: 'demo', cluster: 'demo', server: 'https://192.168.58.2:8443' }, { ...NO_FACTS, minikubeProfiles: ['demo'] })).toEqual({
      kind: 'minikube',
      target: 'demo',
    });
  });
});
