import { describe, expect, it } from 'vitest';
import { ragApiRoleArn } from '@llmops-rag/contract';
import { findObject } from '@llmops-rag/contract';
import { devProfile, IRSA_ROLE_ANNOTATION, prodProfile, synthProfile } from '../index.js';
import { apiContainer, deploymentOf, objectsOf } from '../testing/objects.js';

describe('profile differences', () => {
  const dev = objectsOf(devProfile);
  const prod = objectsOf(prodProfile, { awsAccountId: '123456789012' });

  it('dev keeps the spec’s local image: latest, never pulled, one replica', () => {
    expect(apiContainer(dev)).toMatchObject({ image: 'llmops-rag-api:latest', imagePullPolicy: 'Never' });
    expect(deploymentOf(dev).spec?.replicas).toBe(1);
  });

  it('prod pins the image and pulls IfNotPresent; RAG_API_IMAGE-style override wins', () => {
    expect(apiContainer(prod)).toMatchObject({ image: 'llmops-rag-api:0.1.0', imagePullPolicy: 'IfNotPresent' });
    const digest = `registry.example/llmops-rag-api@sha256:${'a'.repeat(64)}`;
    expect(apiContainer(objectsOf(prodProfile, { image: digest })).image).toBe(digest);
  });

  it('prod runs ≥2 replicas through an autoscaling/v2 HPA and leaves spec.replicas to it', () => {
    const hpa = findObject(prod, 'HorizontalPodAutoscaler', 'rag-api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api' } });
    expect(deploymentOf(prod).spec?.replicas).toBeUndefined();
  });

  it('prod has PDB, NetworkPolicy, topology spread; dev has none of them', () => {
    expect(findObject(prod, 'PodDisruptionBudget', 'rag-api').spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { app: 'rag-api' } } });
    expect(findObject(prod, 'NetworkPolicy', 'rag-api').spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'] });
    const keys = deploymentOf(prod).spec?.template.spec?.topologySpreadConstraints?.map((c) => c.topologyKey);
    expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(dev.map((o) => o.kind)).not.toEqual(expect.arrayContaining(['PodDisruptionBudget']));
    expect(dev.some((o) => ['PodDisruptionBudget', 'NetworkPolicy', 'HorizontalPodAutoscaler'].includes(o.kind))).toBe(false);
    expect(deploymentOf(dev).spec?.template.spec?.topologySpreadConstraints).toBeUndefined();
  });

  it('both have ephemeral-storage requests and limits', () => {
    for (const objects of [dev, prod]) {
      expect(apiContainer(objects).resources?.requests?.['ephemeral-storage']).toBeDefined();
      expect(apiContainer(objects).resources?.limits?.['ephemeral-storage']).toBeDefined();
    }
  });

  it('prod ServiceAccount carries the infra-eks IRSA role ARN; dev has no annotation', () => {
    expect(findObject(prod, 'ServiceAccount', 'rag-api').metadata?.annotations?.[IRSA_ROLE_ANNOTATION]).toBe(ragApiRoleArn('123456789012', 'prod'));
    expect(findObject(dev, 'ServiceAccount', 'rag-api').metadata?.annotations).toBeUndefined();
  });

  it('without an account id prod uses the documented placeholder account', () => {
    expect(synthProfile(prodProfile).roleArn).toBe(ragApiRoleArn('000000000000', 'prod'));
  });

  it('namespaces and ConfigMap APP_ENV follow the profile', () => {
    expect(findObject(dev, 'ConfigMap', 'rag-api-config').data).toMatchObject({ APP_ENV: 'dev', DOCUMENTS_BUCKET: 'llmops-rag-documents-dev' });
    expect(findObject(prod, 'ConfigMap', 'rag-api-config').data).toMatchObject({ APP_ENV: 'prod', DOCUMENTS_BUCKET: 'llmops-rag-documents-prod' });
    expect(new Set(prod.slice(1).map((o) => o.metadata?.namespace))).toEqual(new Set(['prod']));
  });
});
