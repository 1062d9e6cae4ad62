import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js';
import { isAnywhere, parseIpv4Cidr } from './cidr.js';
import { assumeRolePolicy, policyDocument } from './iam-json.js';

/**
 * Default Kubernetes version: 1.35. On 2026-11-29 it is the newest EKS
 * version and in standard support until 2027-03-27; 1.33 (the spec's era)
 * left standard support on 2026-07-29 and 1.34 leaves it on 2026-12-02 —
 * after that a cluster bills extended support ($0.60/h instead of $0.10/h).
 * `upgrade_policy.support_type = STANDARD` below makes AWS upgrade instead
 * of silently billing extended support. Check
 * `aws eks describe-cluster-versions` before an apply.
 */
export const DEFAULT_KUBERNETES_VERSION = '1.35';
/** The spec's floor (cluster_version 1.29). */
export const MINIMUM_KUBERNETES_VERSION = '1.29';

/** Every control-plane log type EKS has (CKV_AWS_37). */
export const ALL_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export interface NodeGroupProps {
  /** Default ['t3.medium'] (spec). */
  readonly instanceTypes?: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Default ON_DEMAND (spec). */
  readonly capacityType?: 'ON_DEMAND' | 'SPOT';
  /** Root volume (gp3, encrypted), default 20 GiB. */
  readonly diskSizeGiB?: number;
  /** Default AL2023_x86_64_STANDARD: Amazon Linux 2 AMIs end with Kubernetes 1.32. */
  readonly amiType?: string;
}

/**
 * Inputs, in the spirit of terraform-aws-modules/eks/aws:
 *
 * | input | module equivalent | notes |
 * | --- | --- | --- |
 * | `name` | `cluster_name` | use `clusterName(env)` from the contract |
 * | `kubernetesVersion` | `cluster_version` | default 1.35, must be ≥ 1.29 |
 * | `subnetIds` | `subnet_ids` | the private subnets (nodes and control-plane ENIs) |
 * | `publicAccessCidrs` | `cluster_endpoint_public_access_cidrs` | required, no default; 0.0.0.0/0 refused unless acknowledged |
 * | `acknowledgePublicAccessFromAnywhere` | — | a written reason; needed to allow a /0 CIDR |
 * | `logRetentionDays` | `cloudwatch_log_group_retention_in_days` | control-plane log group |
 * | `logsKmsKeyArn` | `cloudwatch_log_group_kms_key_id` | encrypts the log group |
 * | `nodeGroup` | `eks_managed_node_groups` | one managed group through a launch template |
 * | `imdsHopLimit` | `metadata_options.http_put_response_hop_limit` | 1 (default) or 2 |
 *
 * Secrets are always envelope-encrypted with a KMS key created here (rotation
 * on), all five control-plane log types are on, the private endpoint is on,
 * and the IAM OIDC provider for IRSA is created (`enable_irsa`).
 *
 * Outputs: `clusterName`, `endpoint` (cluster_endpoint), `oidcIssuerUrl`
 * (cluster_oidc_issuer_url), `oidcIssuer` (the URL without https://, used in
 * IRSA trust conditions), `oidcProviderArn` (oidc_provider_arn),
 * `secretsKmsKeyArn`, `nodeRoleArn`.
 */
export interface ClusterProps {
  readonly name: string;
  readonly kubernetesVersion?: string;
  readonly subnetIds: readonly string[];
  readonly publicAccessCidrs: readonly string[];
  readonly acknowledgePublicAccessFromAnywhere?: string;
  readonly logRetentionDays: number;
  readonly logsKmsKeyArn: string;
  readonly nodeGroup: NodeGroupProps;
  /**
   * IMDSv2 hop limit. 1 (default): the IMDS answers the node itself and
   * host-network pods (VPC CNI, kube-proxy) but not ordinary pods, whose
   * packets cross one more hop — so a pod cannot borrow the node role's
   * credentials; workloads get AWS access only through IRSA. Choose 2 only
   * for a workload that must read IMDS from the pod network (e.g. the AWS
   * Load Balancer Controller without --aws-region/--aws-vpc-id).
   */
  readonly imdsHopLimit?: 1 | 2;
  readonly tags?: Readonly<Record<string, string>>;
}

export class Cluster extends Construct {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly oidcIssuerUrl: string;
  readonly oidcIssuer: string;
  readonly oidcProviderArn: string;
  readonly secretsKmsKeyArn: string;
  readonly nodeRoleArn: string;
  /** The resources, for tests that name them by terraform address. */
  readonly cluster: EksCluster;
  readonly secretsKey: KmsKey;
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly oidcProvider: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    validateClusterProps(props);
    const tags = props.tags ?? {};

    this.secretsKey = this.secretsEncryptionKey(props, tags);
    this.secretsKmsKeyArn = this.secretsKey.arn;
    this.cluster = this.controlPlane(props, tags, this.secretsKey);
    this.clusterName = this.cluster.name;
    this.endpoint = this.cluster.endpoint;

    const nodeRole = this.nodeRole(props, tags);
    this.nodeRoleArn = nodeRole.role.arn;
    this.launchTemplate = this.nodeLaunchTemplate(props, tags);
    this.nodeGroup = this.managedNodeGroup(props, tags, nodeRole);

    // IRSA. No thumbprint_list: only the aws provider is available (the tls
    // provider's tls_certificate cannot be used offline), and none is needed —
    // since the IAM API made thumbprints optional (2024) IAM retrieves the
    // top intermediate CA thumbprint itself on create, and for EKS issuers
    // (oidc.eks.<region>.amazonaws.com) STS validates against AWS's own
    // trusted root CAs rather than the thumbprint. Pinning one would only
    // produce the perpetual diffs terraform-aws-eks#3317 describes.
    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', { url: issuerUrl, clientIdList: ['sts.amazonaws.com'], tags });
    this.oidcIssuerUrl = issuerUrl;
    this.oidcIssuer = Fn.replace(issuerUrl, 'https://', '');
    this.oidcProviderArn = this.oidcProvider.arn;
  }

  /** CKV_AWS_58: Kubernetes secrets envelope-encrypted with a customer key (CKV_AWS_7: rotation on). */
  private secretsEncryptionKey(props: ClusterProps, tags: Tags): KmsKey {
    const key = new KmsKey(this, 'secrets-key', {
      description: `EKS secrets encryption for ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags,
    });
    new KmsAlias(this, 'secrets-key-alias', { name: `alias/${props.name}-eks-secrets`, targetKeyId: key.keyId });
    return key;
  }

  /** The EKS cluster with its IAM role (EKS policy + use of the secrets key) and its control-plane log group. */
  private controlPlane(props: ClusterProps, tags: Tags, secretsKey: KmsKey): EksCluster {
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: `${props.name}-cluster`,
      assumeRolePolicy: assumeRolePolicy('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
      tags,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: clusterRole.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });
    const clusterKms = new IamRolePolicy(this, 'cluster-kms', {
      name: 'eks-secrets-encryption',
      role: clusterRole.id,
      policy: policyDocument([
        { Sid: 'UseSecretsKey', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: [secretsKey.arn] },
      ]),
    });

    // Created before the cluster so EKS does not create it without retention or encryption.
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
      tags,
    });

    return new EksCluster(this, 'cluster', {
      name: props.name,
      version: props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        // The spec keeps the public endpoint (no VPN/bastion in Phase 2);
        // CKV_AWS_38: reachable only from the admin CIDRs.
        endpointPublicAccess: true,
        publicAccessCidrs: [...props.publicAccessCidrs],
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: [...ALL_CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: 'STANDARD' },
      tags,
      dependsOn: [clusterPolicy, clusterKms, logGroup],
    });
  }

  /** The nodes' IAM role with the three AWS-managed worker policies attached. */
  private nodeRole(props: ClusterProps, tags: Tags): NodeRole {
    const role = new IamRole(this, 'node-role', {
      name: `${props.name}-node`,
      assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
      tags,
    });
    const policies = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'].map(
      (policy) => new IamRolePolicyAttachment(this, `node-${policy}`, { role: role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` }),
    );
    return { role, policies };
  }

  /** No image_id: EKS picks the AMI for `amiType` and injects its bootstrap. */
  private nodeLaunchTemplate(props: ClusterProps, tags: Tags): LaunchTemplate {
    return new LaunchTemplate(this, 'node-lt', {
      namePrefix: `${props.name}-node-`,
      description: `Nodes of ${props.name}: IMDSv2 only, encrypted gp3 root volume`,
      updateDefaultVersion: true,
      // CKV_AWS_341 / AVD-AWS-0028: IMDSv2 (session tokens) required.
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: props.imdsHopLimit ?? 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.nodeGroup.diskSizeGiB ?? 20, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { ...tags, Name: `${props.name}-node` } },
        { resourceType: 'volume', tags: { ...tags, Name: `${props.name}-node` } },
      ],
      tags,
    });
  }

  /** The one managed node group, through the launch template; desired size left to the autoscaler after create. */
  private managedNodeGroup(props: ClusterProps, tags: Tags, nodeRole: NodeRole): EksNodeGroup {
    const ng = props.nodeGroup;
    return new EksNodeGroup(this, 'nodes', {
      clusterName: this.cluster.name,
      nodeGroupName: `${props.name}-default`,
      nodeRoleArn: nodeRole.role.arn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [...(ng.instanceTypes ?? ['t3.medium'])],
      capacityType: ng.capacityType ?? 'ON_DEMAND',
      amiType: ng.amiType ?? 'AL2023_x86_64_STANDARD',
      scalingConfig: { minSize: ng.minSize, maxSize: ng.maxSize, desiredSize: ng.desiredSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      tags,
      dependsOn: nodeRole.policies,
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }
}

type Tags = Readonly<Record<string, string>>;

interface NodeRole {
  readonly role: IamRole;
  readonly policies: IamRolePolicyAttachment[];
}

export function compareKubernetesVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

export function validateClusterProps(props: ClusterProps): void {
  const problems: string[] = [];
  const version = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  if (!/^1\.\d{2}$/.test(version)) problems.push(`kubernetesVersion: use major.minor such as ${DEFAULT_KUBERNETES_VERSION} (got ${JSON.stringify(version)})`);
  else if (compareKubernetesVersions(version, MINIMUM_KUBERNETES_VERSION) < 0)
    problems.push(`kubernetesVersion: ${version} is below the minimum ${MINIMUM_KUBERNETES_VERSION}`);
  if (props.subnetIds.length < 2) problems.push('subnetIds: EKS needs subnets in at least two AZs');
  if (props.publicAccessCidrs.length === 0) {
    problems.push('publicAccessCidrs: give the admin CIDRs that may reach the public API endpoint (there is no default)');
  }
  for (const cidr of props.publicAccessCidrs) {
    try {
      parseIpv4Cidr(cidr);
      if (isAnywhere(cidr) && !props.acknowledgePublicAccessFromAnywhere?.trim()) {
        problems.push(
          `publicAccessCidrs: ${cidr} opens the Kubernetes API to the whole internet; refused unless acknowledgePublicAccessFromAnywhere gives a reason`,
        );
      }
    } catch (error) {
      problems.push(`publicAccessCidrs: ${(error as Error).message}`);
    }
  }
  const ng = props.nodeGroup;
  if (!(ng.minSize >= 0 && ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize && ng.maxSize >= 1)) {
    problems.push(`nodeGroup: need 0 ≤ min (${ng.minSize}) ≤ desired (${ng.desiredSize}) ≤ max (${ng.maxSize}), max ≥ 1`);
  }
  if (props.imdsHopLimit !== undefined && props.imdsHopLimit !== 1 && props.imdsHopLimit !== 2) problems.push('imdsHopLimit: 1 or 2');
  if (problems.length > 0) throw new Error(`Cluster ${props.name}: ${problems.join('; ')}`);
}
