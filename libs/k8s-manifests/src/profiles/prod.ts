import { APP_VERSION, imageRef, ragApiServiceAccount } from '@llmops-rag/contract';
import type { Profile } from './profile.js';

/** EKS: a pinned image, at least two pods spread over zones, autoscaled, fenced in, IRSA. */
export const prodProfile = {
  name: 'prod',
  appEnv: 'prod',
  namespace: ragApiServiceAccount('prod').namespace,
  // The app's version (libs/contract), the tag tools/image gives the image. The release pipeline overrides
  // this with a digest via RAG_API_IMAGE (see the README); never `latest`.
  image: imageRef(APP_VERSION),
  imagePullPolicy: 'IfNotPresent',
  replicas: 2,
  resources: {
    requests: { memory: '128Mi', cpu: '100m', ephemeralStorage: '64Mi' },
    limits: { memory: '512Mi', cpu: '500m', ephemeralStorage: '256Mi' },
  },
  tmpSizeLimit: '64Mi',
  autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilizationPercent: 70 },
  disruptionBudget: { maxUnavailable: 1 },
  topologySpread: true,
  networkPolicy: true,
  irsa: true,
  waivers: [],
} as const satisfies Profile;
