import { imageRef, LATEST_TAG, ragApiServiceAccount } from '@llmops-rag/contract';
import type { Profile } from './profile.js';

/** Minikube: one pod of the locally built image, the spec's choices. */
export const devProfile = {
  name: 'dev',
  appEnv: 'dev',
  namespace: ragApiServiceAccount('dev').namespace,
  // The spec builds the image inside minikube's Docker (`eval $(minikube docker-env)`) and never pushes it:
  // `latest` is the only tag that exists there and `Never` stops the kubelet from trying a registry it can't reach.
  image: imageRef(LATEST_TAG),
  imagePullPolicy: 'Never',
  replicas: 1,
  resources: {
    requests: { memory: '128Mi', cpu: '100m', ephemeralStorage: '64Mi' },
    limits: { memory: '512Mi', cpu: '500m', ephemeralStorage: '256Mi' },
  },
  tmpSizeLimit: '64Mi',
  topologySpread: false,
  networkPolicy: false,
  irsa: false,
  waivers: [
    { rule: 'K8S-IMG-001', reason: 'minikube runs the image built locally into its Docker daemon; `latest` is the only tag there (spec Part 3.1).' },
    { rule: 'K8S-IMG-002', reason: 'pullPolicy Never: the local image is not in any registry, a pull would fail with ErrImagePull.' },
    { rule: 'K8S-REL-001', reason: 'a single-node laptop cluster; one replica keeps the footprint small and the spec asks for 1.' },
    { rule: 'K8S-REL-002', reason: 'a PodDisruptionBudget over one replica would block `minikube` node drains and protects nothing.' },
    { rule: 'K8S-REL-003', reason: 'one node and one replica: there is nothing to spread over.' },
    { rule: 'K8S-REL-005', reason: 'minikube has no metrics-server by default; an HPA would only report <unknown> targets.' },
    { rule: 'K8S-NET-001', reason: "minikube's default CNI does not enforce NetworkPolicy; an unenforced policy would give false confidence." },
  ],
} as const satisfies Profile;
