import { describe, expect, it } from 'vitest';
import { configMapData, containerFixedValues, PLACEHOLDER_SECRET } from '@llmops-rag/config';
import { findObject } from '@llmops-rag/contract';
import { devProfile, prodProfile, RUN_AS_ID } from '../index.js';
import { apiContainer, deploymentOf, objectsOf } from '../testing/objects.js';

describe.each([devProfile, prodProfile])('spec objects ($name)', (profile) => {
  const objects = objectsOf(profile);
  const ns = profile.namespace;

  it('has the spec names in the profile namespace', () => {
    const refs = objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        `Namespace/-/${ns}`,
        `ConfigMap/${ns}/rag-api-config`,
        `Secret/${ns}/rag-api-secrets`,
        `Deployment/${ns}/rag-api`,
        `Service/${ns}/rag-api-service`,
        `ServiceAccount/${ns}/rag-api`,
      ]),
    );
    expect(objects[0]?.kind).toBe('Namespace');
  });

  it('ConfigMap is the config lib’s data for the environment', () => {
    expect(findObject(objects, 'ConfigMap', 'rag-api-config').data).toEqual(configMapData(profile.appEnv));
  });

  it('Secret carries the exact placeholder bytes in stringData, no base64 by hand', () => {
    const secret = findObject(objects, 'Secret', 'rag-api-secrets');
    expect(secret.type).toBe('Opaque');
    expect(secret.stringData).toEqual({ OPENAI_API_KEY: PLACEHOLDER_SECRET });
    expect(secret.data).toBeUndefined();
  });

  it('Deployment: labels, container api, port 8000, envFrom both, probes and resources as the spec', () => {
    const deployment = deploymentOf(objects);
    expect(deployment.metadata?.labels?.app).toBe('rag-api');
    expect(deployment.spec?.selector.matchLabels).toEqual({ app: 'rag-api' });
    expect(deployment.spec?.template.metadata?.labels?.app).toBe('rag-api');
    const api = apiContainer(objects);
    expect(api.image?.startsWith('llmops-rag-api')).toBe(true);
    expect(api.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(api.envFrom).toEqual([{ configMapRef: { name: 'rag-api-config' } }, { secretRef: { name: 'rag-api-secrets' } }]);
    expect(api.env).toEqual(Object.entries(containerFixedValues(profile.appEnv)).map(([name, value]) => ({ name, value })));
    expect(api.livenessProbe).toMatchObject({ httpGet: { path: '/health/live', port: 8000 }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(api.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 8000 }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(api.startupProbe?.httpGet?.path).toBe('/health/live');
    expect(api.resources?.requests).toMatchObject({ memory: '128Mi', cpu: '100m' });
    expect(api.resources?.limits).toMatchObject({ memory: '512Mi', cpu: '500m' });
  });

  it('restricted security context, uid/gid 10001, writable /tmp only', () => {
    const pod = deploymentOf(objects).spec?.template.spec;
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: RUN_AS_ID, runAsGroup: RUN_AS_ID, seccompProfile: { type: 'RuntimeDefault' } });
    expect(RUN_AS_ID).toBe(10001);
    expect(apiContainer(objects).securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod?.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(apiContainer(objects).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(findObject(objects, 'ServiceAccount', 'rag-api').automountServiceAccountToken).toBe(false);
  });

  it('grace period = the app’s drain (SHUTDOWN_DRAIN_SECONDS) + 10 s shutdown budget', () => {
    const drain = Number(configMapData(profile.appEnv).SHUTDOWN_DRAIN_SECONDS);
    expect(deploymentOf(objects).spec?.template.spec?.terminationGracePeriodSeconds).toBe(drain + 10);
  });

  it('Service rag-api-service: ClusterIP, TCP 80 → 8000, selects app=rag-api', () => {
    expect(findObject(objects, 'Service', 'rag-api-service').spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'rag-api' },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8000 }],
    });
  });

  it('the Namespace enforces Pod Security "restricted"', () => {
    expect(findObject(objects, 'Namespace', ns).metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
