import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { STACK_OUTPUTS, stackName } from '../contract/outputs.js';
import { Cluster } from '../constructs/cluster.js';
import { Network } from '../constructs/network.js';
import { ragApiStatements, serviceAccountSubject, ServiceAccountRole } from '../constructs/service-account-role.js';
import type { EnvironmentConfig } from './env-config.js';

/**
 * One environment: network, cluster, the rag-api IRSA role, and the outputs
 * other tools read (`terraform output -json`). Plain typed config in, no
 * cdktf types leak into the config.
 */
export class EnvironmentStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly network: Network;
  readonly cluster: Cluster;
  readonly ragApiRole: ServiceAccountRole;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, stackName(config.env));
    this.config = config;
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags: { ...config.tags } }] });

    const account = new DataAwsCallerIdentity(this, 'account');
    // One key for the log groups (VPC flow logs, EKS control plane): CKV_AWS_158.
    const logsKey = new KmsKey(this, 'logs-key', {
      description: `CloudWatch Logs encryption for ${config.cluster.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account.accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsUse',
            Effect: 'Allow',
            Principal: { Service: `logs.${config.region}.amazonaws.com` },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: {
              ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${config.region}:${account.accountId}:log-group:*` },
            },
          },
        ],
      }),
    });
    new KmsAlias(this, 'logs-key-alias', { name: `alias/${config.cluster.name}-logs`, targetKeyId: logsKey.keyId });

    this.network = new Network(this, 'network', {
      name: config.network.name,
      cidr: config.network.cidr,
      azs: config.network.azs,
      privateSubnets: config.network.privateSubnets,
      publicSubnets: config.network.publicSubnets,
      natGateways: config.network.natGateways,
      clusterName: config.cluster.name,
      flowLogs: { retentionDays: config.network.flowLogRetentionDays, kmsKeyArn: logsKey.arn },
    });

    this.cluster = new Cluster(this, 'eks', {
      name: config.cluster.name,
      kubernetesVersion: config.cluster.kubernetesVersion,
      subnetIds: this.network.privateSubnetIds,
      publicAccessCidrs: config.cluster.adminCidrs,
      ...(config.cluster.acknowledgePublicAccessFromAnywhere
        ? { acknowledgePublicAccessFromAnywhere: config.cluster.acknowledgePublicAccessFromAnywhere }
        : {}),
      logRetentionDays: config.cluster.logRetentionDays,
      logsKmsKeyArn: logsKey.arn,
      nodeGroup: config.cluster.nodeGroup,
      imdsHopLimit: config.cluster.imdsHopLimit,
    });

    this.ragApiRole = new ServiceAccountRole(this, 'rag-api-irsa', {
      roleName: config.ragApi.roleName,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuer: this.cluster.oidcIssuer,
      serviceAccount: config.ragApi.serviceAccount,
      statements: ragApiStatements({ documentsBucket: config.documentsBucket, region: config.region }),
    });

    const out = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    out(STACK_OUTPUTS.vpcId, this.network.vpcId, 'VPC id');
    out(STACK_OUTPUTS.privateSubnetIds, this.network.privateSubnetIds, 'Private subnet ids (nodes)');
    out(STACK_OUTPUTS.publicSubnetIds, this.network.publicSubnetIds, 'Public subnet ids (NAT, internet-facing load balancers)');
    out(STACK_OUTPUTS.clusterName, this.cluster.clusterName, 'EKS cluster name');
    out(STACK_OUTPUTS.clusterEndpoint, this.cluster.endpoint, 'EKS API endpoint');
    out(STACK_OUTPUTS.clusterOidcIssuerUrl, this.cluster.oidcIssuerUrl, 'OIDC issuer URL of the cluster');
    out(STACK_OUTPUTS.oidcProviderArn, this.cluster.oidcProviderArn, 'IAM OIDC provider ARN (IRSA)');
    out(STACK_OUTPUTS.ragApiRoleArn, this.ragApiRole.roleArn, 'IRSA role of the rag-api; equals ragApiRoleArn(accountId, env) of the contract');
    out(STACK_OUTPUTS.ragApiServiceAccount, serviceAccountSubject(config.ragApi.serviceAccount), 'The only subject the rag-api role trusts');
  }
}
