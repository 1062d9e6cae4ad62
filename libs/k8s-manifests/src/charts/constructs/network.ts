import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { COMMON_LABELS, NAMES, SELECTOR_LABELS } from '../../names.js';

export interface NetworkProps {
  namespace: string;
  /** Container port the Service targets. */
  targetPort: number;
  /** Add the NetworkPolicy. */
  networkPolicy: boolean;
}

/** Label a namespace with this to let its pods (e.g. an ingress controller) call the API. */
export const INGRESS_ALLOWED_LABEL = 'llmops-rag.io/rag-api-clients';

/** Service `rag-api-service` (ClusterIP 80 → 8000) and, when asked, the pods' NetworkPolicy. */
export class Network extends Construct {
  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const labels = { ...SELECTOR_LABELS, ...COMMON_LABELS };
    new k8s.KubeService(this, 'service', {
      metadata: { name: NAMES.service, namespace: props.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: { ...SELECTOR_LABELS },
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: k8s.IntOrString.fromNumber(props.targetPort) }],
      },
    });
    if (props.networkPolicy) this.addNetworkPolicy(props, labels);
  }

  /**
   * Default deny for the API pods. In: the API port from pods of this
   * namespace and of namespaces labelled INGRESS_ALLOWED_LABEL=true. Out:
   * cluster DNS and HTTPS (S3, STS for IRSA, the model APIs).
   */
  private addNetworkPolicy(props: NetworkProps, labels: Record<string, string>): void {
    const apiPort = { protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.targetPort) };
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAMES.networkPolicy, namespace: props.namespace, labels },
      spec: {
        podSelector: { matchLabels: { ...SELECTOR_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { [INGRESS_ALLOWED_LABEL]: 'true' } } }],
            ports: [apiPort],
          },
        ],
        egress: [
          {
            to: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
          { ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] },
        ],
      },
    });
  }
}
