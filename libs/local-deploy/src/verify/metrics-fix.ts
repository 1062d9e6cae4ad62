import type { KubeApi } from '../kube.js';

/** metrics-server's own install: the manifest of its latest release (kubernetes-sigs/metrics-server). */
export const METRICS_SERVER_MANIFEST = 'https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml';

/** The label minikube puts on its nodes, naming the profile. */
const MINIKUBE_PROFILE_LABEL = 'minikube.k8s.io/name';

/**
 * How to get a metrics API on this cluster: minikube's addon (its nodes name the profile), else metrics-server's
 * release manifest; kind and Docker Desktop kubelets serve self-signed certificates, which metrics-server refuses
 * unless told to skip the check.
 */
export async function metricsApiFix(api: KubeApi): Promise<string> {
  const nodes = await api.list('v1', 'Node', undefined).catch(() => []);
  const profile = nodes.map((n) => n.metadata.labels?.[MINIKUBE_PROFILE_LABEL]).find((name) => name !== undefined);
  if (profile !== undefined) {
    const addon = `minikube addons enable metrics-server${profile === 'minikube' ? '' : ` -p ${profile}`}`;
    const deploy = `npx nx run k8s-manifests:deploy-minikube -- --enable-metrics${profile === 'minikube' ? '' : ` --profile=${profile}`}`;
    return `\`${addon}\` (or deploy with \`${deploy}\`)`;
  }
  return (
    `install metrics-server: \`kubectl apply -f ${METRICS_SERVER_MANIFEST}\`` +
    ' (on kind and Docker Desktop also add --kubelet-insecure-tls to its container args; k3s ships it unless started with --disable=metrics-server)'
  );
}
