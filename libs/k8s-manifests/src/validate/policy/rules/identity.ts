import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { IRSA_ROLE_ANNOTATION, PLACEHOLDER_AWS_ACCOUNT_ID } from '../../../names.js';
import { objectRef, type KubeObject } from '@llmops-rag/contract';
import type { PolicyRule } from '../rule.js';
import { ofKind } from '../workloads.js';

export const identityRules: PolicyRule[] = [
  {
    id: 'K8S-IAM-001',
    title: 'IRSA role ARN names a real account',
    severity: 'warning',
    fix: 'export AWS_ACCOUNT_ID=<12 digits> before synth (the account libs/infra-eks deploys to)',
    check: (objects) =>
      ofKind<IServiceAccount>(objects, 'ServiceAccount')
        .filter((sa) => sa.metadata?.annotations?.[IRSA_ROLE_ANNOTATION]?.includes(`::${PLACEHOLDER_AWS_ACCOUNT_ID}:`))
        .map((sa) => ({
          object: objectRef(sa as unknown as KubeObject),
          path: `/metadata/annotations/${IRSA_ROLE_ANNOTATION.replace('/', '~1')}`,
          message: `IRSA role ARN uses the placeholder account ${PLACEHOLDER_AWS_ACCOUNT_ID}; pods would get no AWS credentials`,
        })),
  },
];
