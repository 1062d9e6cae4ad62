import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { ServiceAccountRef } from '../contract/naming.js';
import { policyDocument, type PolicyStatementJson } from './iam-json.js';

/**
 * Inputs, in the spirit of terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks:
 *
 * | input | module equivalent | notes |
 * | --- | --- | --- |
 * | `roleName` | `role_name` | use `ragApiRoleName(env)` from the contract for the rag-api |
 * | `oidcProviderArn` | `oidc_providers.*.provider_arn` | `Cluster.oidcProviderArn` |
 * | `oidcIssuer` | — | `Cluster.oidcIssuer` (issuer URL without https://) |
 * | `serviceAccount` | `oidc_providers.*.namespace_service_accounts` | exactly ONE namespace/name, no wildcards |
 * | `statements` | `role_policy_arns` | inline least-privilege statements |
 * | `maxSessionDurationSeconds` | `max_session_duration` | default 3600 |
 *
 * The trust policy lets only that service account assume the role:
 * `StringEquals <issuer>:sub = system:serviceaccount:<ns>:<name>` and
 * `StringEquals <issuer>:aud = sts.amazonaws.com`.
 *
 * Outputs: `roleArn` (iam_role_arn), `roleName` (iam_role_name).
 */
export interface ServiceAccountRoleProps {
  readonly roleName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuer: string;
  readonly serviceAccount: ServiceAccountRef;
  readonly statements: readonly PolicyStatementJson[];
  readonly maxSessionDurationSeconds?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class ServiceAccountRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** The resources, for tests that name them by terraform address. */
  readonly role: IamRole;
  readonly trustPolicy: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    validateServiceAccountRoleProps(props);
    const { namespace, name } = props.serviceAccount;
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          sid: 'ServiceAccountOnly',
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: 'StringEquals', variable: `${props.oidcIssuer}:sub`, values: [serviceAccountSubject(props.serviceAccount)] },
            { test: 'StringEquals', variable: `${props.oidcIssuer}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      path: '/',
      description: `IRSA role of ServiceAccount ${namespace}/${name}`,
      assumeRolePolicy: trust.json,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      tags: { ...props.tags, 'llmops-rag/service-account': `${namespace}.${name}` },
    });
    new IamRolePolicy(this, 'policy', { name: `${props.roleName}-access`, role: role.id, policy: policyDocument(props.statements) });
    this.role = role;
    this.trustPolicy = trust;
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

export function serviceAccountSubject({ namespace, name }: ServiceAccountRef): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function validateServiceAccountRoleProps(props: ServiceAccountRoleProps): void {
  const problems: string[] = [];
  const { namespace, name } = props.serviceAccount;
  if (!K8S_NAME.test(namespace)) problems.push(`serviceAccount.namespace ${JSON.stringify(namespace)} is not a Kubernetes name (wildcards are not allowed)`);
  if (!K8S_NAME.test(name)) problems.push(`serviceAccount.name ${JSON.stringify(name)} is not a Kubernetes name (wildcards are not allowed)`);
  if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) problems.push(`roleName ${JSON.stringify(props.roleName)} is not a valid IAM role name`);
  if (props.statements.length === 0) problems.push('statements: at least one');
  for (const s of props.statements) {
    if (s.Action.some((a) => a === '*' || a.endsWith(':*'))) problems.push(`statement ${s.Sid ?? '?'}: wildcard action`);
    if (s.Resource.includes('*')) problems.push(`statement ${s.Sid ?? '?'}: Resource "*"`);
  }
  if (problems.length > 0) throw new Error(`ServiceAccountRole ${props.roleName}: ${problems.join('; ')}`);
}

/**
 * The rag-api's least privilege (Phase 3 uses it): read the documents bucket
 * and invoke Bedrock foundation models in one region. Nothing else.
 */
export function ragApiStatements(input: { documentsBucket: string; region: string; partition?: string }): PolicyStatementJson[] {
  const partition = input.partition ?? 'aws';
  const bucketArn = `arn:${partition}:s3:::${input.documentsBucket}`;
  return [
    { Sid: 'ListDocumentsBucket', Action: ['s3:ListBucket'], Resource: [bucketArn] },
    { Sid: 'ReadDocuments', Action: ['s3:GetObject'], Resource: [`${bucketArn}/*`] },
    {
      Sid: 'InvokeBedrockModels',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: [`arn:${partition}:bedrock:${input.region}::foundation-model/*`],
    },
  ];
}
