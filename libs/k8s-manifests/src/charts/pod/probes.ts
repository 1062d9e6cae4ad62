import { HEALTH_PATHS } from '@llmops-rag/contract';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';

export interface ContainerProbes {
  livenessProbe: k8s.Probe;
  readinessProbe: k8s.Probe;
  startupProbe: k8s.Probe;
}

/** Liveness and readiness as the spec (5 s delay, every 10 s); startup gives a slow start 60 s before liveness counts. */
export function probes(port: number): ContainerProbes {
  const get = (path: string) => ({ httpGet: { path, port: k8s.IntOrString.fromNumber(port), scheme: 'HTTP' } });
  return {
    livenessProbe: { ...get(HEALTH_PATHS.live), initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: { ...get(HEALTH_PATHS.ready), initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    startupProbe: { ...get(HEALTH_PATHS.live), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
  };
}
