import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { COMMON_LABELS, IRSA_ROLE_ANNOTATION, SELECTOR_LABELS } from '../../names.js';

export interface IdentityProps {
  namespace: string;
  /** From libs/infra-eks: the IRSA trust policy names exactly this account. */
  name: string;
  /** IRSA role to annotate; none outside EKS. */
  roleArn?: string;
}

/** The pods' own ServiceAccount; no API token mounted (the API never calls Kubernetes). */
export class Identity extends Construct {
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.serviceAccountName = props.name;
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...SELECTOR_LABELS, ...COMMON_LABELS },
        ...(props.roleArn ? { annotations: { [IRSA_ROLE_ANNOTATION]: props.roleArn } } : {}),
      },
      automountServiceAccountToken: false,
    });
  }
}
