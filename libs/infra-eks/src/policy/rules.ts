import { block, blocks, dataSourcesOf, isTrue, refersTo, resourcesOf, strings, type TfBlock, type TfJson } from './tf-json.js';
import type { Finding, PolicyRule } from './types.js';

/** The rules validate runs on every synthesized stack. Ids are checkov's; aliases are trivy/tfsec's (AVD-…) or related checkov ids. */

const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function forEach(tf: TfJson, type: string, check: (body: TfBlock) => string | string[] | undefined): Finding[] {
  return resourcesOf(tf, type).flatMap(({ address, body }) => {
    const result = check(body);
    return (Array.isArray(result) ? result : result ? [result] : []).map((message) => ({ resource: address, message }));
  });
}

export const eksSecretsEncryption: PolicyRule = {
  id: 'CKV_AWS_58',
  aliases: ['AVD-AWS-0039'],
  title: 'EKS secrets are envelope-encrypted with a KMS key',
  fix: 'set encryption_config { resources = ["secrets"], provider { key_arn = <kms key arn> } } (Cluster does this)',
  appliesTo: ['aws_eks_cluster'],
  check: (tf) =>
    forEach(tf, 'aws_eks_cluster', (c) => {
      const enc = block(c.encryption_config);
      if (!enc) return 'no encryption_config';
      if (!strings(enc.resources).includes('secrets')) return 'encryption_config.resources does not include "secrets"';
      if (!block(enc.provider)?.key_arn) return 'encryption_config.provider.key_arn is empty';
      return undefined;
    }),
};

export const eksControlPlaneLogging: PolicyRule = {
  id: 'CKV_AWS_37',
  aliases: ['AVD-AWS-0038'],
  title: 'EKS control-plane logging on for all five log types',
  fix: `enabled_cluster_log_types = ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}`,
  appliesTo: ['aws_eks_cluster'],
  check: (tf) =>
    forEach(tf, 'aws_eks_cluster', (c) => {
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !strings(c.enabled_cluster_log_types).includes(t));
      return missing.length > 0 ? `log types missing: ${missing.join(', ')}` : undefined;
    }),
};

function publicEndpointOn(c: TfBlock): boolean {
  // The provider's default for endpoint_public_access is true.
  return block(c.vpc_config)?.endpoint_public_access !== false;
}

export const eksPublicEndpointDisabled: PolicyRule = {
  id: 'CKV_AWS_39',
  aliases: ['AVD-AWS-0040'],
  title: 'EKS public API endpoint disabled',
  fix: 'vpc_config.endpoint_public_access = false (reach the API through a VPN/bastion), or keep it with restricted CIDRs and an exception',
  appliesTo: ['aws_eks_cluster'],
  check: (tf) => forEach(tf, 'aws_eks_cluster', (c) => (publicEndpointOn(c) ? 'public endpoint is enabled' : undefined)),
};

export const eksPublicEndpointCidrs: PolicyRule = {
  id: 'CKV_AWS_38',
  aliases: ['AVD-AWS-0041'],
  title: 'EKS public endpoint restricted to admin CIDRs (no 0.0.0.0/0)',
  fix: `set vpc_config.public_access_cidrs to the admin CIDRs (export LLMOPS_EKS_ADMIN_CIDRS=203.0.113.7/32,...)`,
  appliesTo: ['aws_eks_cluster'],
  check: (tf) =>
    forEach(tf, 'aws_eks_cluster', (c) => {
      if (!publicEndpointOn(c)) return undefined;
      const cidrs = strings(block(c.vpc_config)?.public_access_cidrs);
      if (cidrs.length === 0) return 'public endpoint with no public_access_cidrs (AWS then allows 0.0.0.0/0)';
      const open = cidrs.filter((cidr) => /\/0$/.test(cidr));
      return open.length > 0 ? `public_access_cidrs contains ${open.join(', ')}` : undefined;
    }),
};

export const imdsV2Required: PolicyRule = {
  id: 'CKV_AWS_79',
  aliases: ['AVD-AWS-0028'],
  title: 'Nodes require IMDSv2 (session tokens), through a launch template',
  fix: 'launch template metadata_options { http_tokens = "required" } and every aws_eks_node_group uses it',
  appliesTo: ['aws_launch_template', 'aws_eks_node_group'],
  check: (tf) => [
    ...forEach(tf, 'aws_launch_template', (lt) => {
      const md = block(lt.metadata_options);
      if (md?.http_endpoint === 'disabled') return undefined;
      return md?.http_tokens === 'required' ? undefined : `metadata_options.http_tokens is ${JSON.stringify(md?.http_tokens ?? 'optional (default)')}`;
    }),
    ...forEach(tf, 'aws_eks_node_group', (ng) => {
      const lt = block(ng.launch_template);
      if (!lt) return 'no launch_template: nodes get the default metadata options';
      const target = resourcesOf(tf, 'aws_launch_template').find((r) => refersTo(lt.id ?? lt.name, r));
      return target ? undefined : 'launch_template does not refer to a launch template of this stack (cannot verify IMDSv2)';
    }),
  ],
};

export const imdsHopLimit: PolicyRule = {
  id: 'CKV_AWS_341',
  aliases: [],
  title: 'IMDS response hop limit 1 (pods cannot reach node credentials)',
  fix: 'metadata_options { http_put_response_hop_limit = 1 } (Cluster imdsHopLimit: 1); pods get AWS access through IRSA',
  appliesTo: ['aws_launch_template'],
  check: (tf) =>
    forEach(tf, 'aws_launch_template', (lt) => {
      const md = block(lt.metadata_options);
      if (md?.http_endpoint === 'disabled') return undefined;
      const limit = md?.http_put_response_hop_limit;
      return limit === 1 ? undefined : `http_put_response_hop_limit is ${JSON.stringify(limit ?? 'unset (AMI default)')}`;
    }),
};

export const vpcFlowLogs: PolicyRule = {
  id: 'CKV2_AWS_11',
  aliases: [],
  title: 'VPC flow logging enabled',
  fix: 'add an aws_flow_log with vpc_id = the VPC (Network does this)',
  appliesTo: ['aws_vpc'],
  check: (tf) => {
    const flowLogs = resourcesOf(tf, 'aws_flow_log');
    return resourcesOf(tf, 'aws_vpc')
      .filter((vpc) => !flowLogs.some((fl) => refersTo(fl.body.vpc_id, vpc)))
      .map((vpc) => ({ resource: vpc.address, message: 'no aws_flow_log for this VPC' }));
  },
};

export const defaultSecurityGroupLocked: PolicyRule = {
  id: 'CKV2_AWS_12',
  aliases: ['AVD-AWS-0173'],
  title: 'Default security group restricts all traffic',
  fix: 'add aws_default_security_group { vpc_id = <vpc> } with no ingress/egress (Network does this)',
  appliesTo: ['aws_vpc'],
  check: (tf) => {
    const defaults = resourcesOf(tf, 'aws_default_security_group');
    const findings: Finding[] = [];
    for (const vpc of resourcesOf(tf, 'aws_vpc')) {
      const sg = defaults.find((d) => refersTo(d.body.vpc_id, vpc));
      if (!sg) findings.push({ resource: vpc.address, message: 'default security group not managed: AWS leaves its allow-all rules' });
      else if (blocks(sg.body.ingress).length > 0 || blocks(sg.body.egress).length > 0) {
        findings.push({ resource: sg.address, message: 'default security group has rules' });
      }
    }
    return findings;
  },
};

export const noPublicIpOnLaunch: PolicyRule = {
  id: 'CKV_AWS_130',
  aliases: ['AVD-AWS-0164'],
  title: 'Subnets do not assign public IPs on launch',
  fix: 'map_public_ip_on_launch = false; public reachability only through load balancers and the NAT gateway EIP',
  appliesTo: ['aws_subnet'],
  check: (tf) => forEach(tf, 'aws_subnet', (s) => (isTrue(s.map_public_ip_on_launch) ? 'map_public_ip_on_launch = true' : undefined)),
};

export const kmsRotation: PolicyRule = {
  id: 'CKV_AWS_7',
  aliases: ['AVD-AWS-0065'],
  title: 'KMS keys rotate',
  fix: 'enable_key_rotation = true',
  appliesTo: ['aws_kms_key'],
  check: (tf) => forEach(tf, 'aws_kms_key', (k) => (isTrue(k.enable_key_rotation) ? undefined : 'enable_key_rotation is not true')),
};

export const logGroupEncryption: PolicyRule = {
  id: 'CKV_AWS_158',
  aliases: ['AVD-AWS-0017'],
  title: 'CloudWatch log groups encrypted with KMS',
  fix: 'kms_key_id = <kms key arn> (the stack passes its logs key)',
  appliesTo: ['aws_cloudwatch_log_group'],
  check: (tf) => forEach(tf, 'aws_cloudwatch_log_group', (g) => (g.kms_key_id ? undefined : 'no kms_key_id')),
};

interface NormalizedStatement {
  effect: string;
  actions: string[];
  resources: string[];
  federated: string[];
  conditions: { test: string; variable: string; values: string[] }[];
}

/** Statements of an IAM policy given as literal JSON or as a `${data.aws_iam_policy_document.X.json}` reference. */
export function policyStatements(tf: TfJson, policy: unknown): NormalizedStatement[] | undefined {
  if (typeof policy !== 'string') return undefined;
  const ref = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(policy.trim());
  if (ref) {
    const doc = dataSourcesOf(tf, 'aws_iam_policy_document').find((d) => d.name === ref[1]);
    if (!doc) return undefined;
    return blocks(doc.body.statement).map((s) => ({
      effect: typeof s.effect === 'string' ? s.effect : 'Allow',
      actions: strings(s.actions),
      resources: strings(s.resources),
      federated: blocks(s.principals)
        .filter((p) => p.type === 'Federated')
        .flatMap((p) => strings(p.identifiers)),
      conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) })),
    }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return undefined;
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  return blocks(statements).map((s) => {
    const principal = s.Principal as Record<string, unknown> | undefined;
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    return {
      effect: typeof s.Effect === 'string' ? s.Effect : 'Allow',
      actions: strings(s.Action),
      resources: strings(s.Resource),
      federated: strings(principal?.Federated),
      conditions: Object.entries(condition).flatMap(([test, vars]) =>
        Object.entries(vars).map(([variable, values]) => ({ test, variable, values: strings(values) })),
      ),
    };
  });
}

export const irsaTrustConditions: PolicyRule = {
  id: 'LLMOPS_IRSA_1',
  aliases: ['no checkov/trivy equivalent (cf. CKV_AWS_358 for GitHub OIDC)'],
  title: 'IRSA trust limited to one service account (sub) and STS (aud)',
  fix: 'trust condition StringEquals <issuer>:sub = system:serviceaccount:<ns>:<name> and StringEquals <issuer>:aud = sts.amazonaws.com (ServiceAccountRole does this)',
  appliesTo: ['aws_iam_role'],
  check: (tf) =>
    forEach(tf, 'aws_iam_role', (role) => {
      const statements = policyStatements(tf, role.assume_role_policy);
      if (!statements) return undefined;
      const web = statements.filter((s) => s.effect === 'Allow' && (s.federated.length > 0 || s.actions.includes('sts:AssumeRoleWithWebIdentity')));
      return web.flatMap((s) => {
        const problems: string[] = [];
        const sub = s.conditions.filter((c) => c.variable.endsWith(':sub'));
        const aud = s.conditions.filter((c) => c.variable.endsWith(':aud'));
        const exactSub = sub.filter((c) => c.test === 'StringEquals');
        if (exactSub.length === 0) problems.push('no StringEquals condition on <issuer>:sub: any service account of the cluster could assume the role');
        for (const c of sub) {
          if (c.test !== 'StringEquals') problems.push(`${c.test} on :sub (use StringEquals)`);
          if (c.values.length !== 1) problems.push(`:sub allows ${c.values.length} subjects (exactly one)`);
          for (const v of c.values)
            if (!SERVICE_ACCOUNT_SUBJECT.test(v)) problems.push(`:sub value ${JSON.stringify(v)} is not one system:serviceaccount:<ns>:<name>`);
        }
        if (!aud.some((c) => c.test === 'StringEquals' && c.values.length === 1 && c.values[0] === 'sts.amazonaws.com')) {
          problems.push('no StringEquals <issuer>:aud = sts.amazonaws.com');
        }
        return problems;
      });
    }),
};

export const noWildcardIamPolicies: PolicyRule = {
  id: 'CKV_AWS_355',
  aliases: ['CKV_AWS_62', 'CKV_AWS_290'],
  title: 'Identity policies name their actions and resources (no "*")',
  fix: 'list the actions and resource ARNs the workload needs (see ragApiStatements)',
  appliesTo: ['aws_iam_role_policy', 'aws_iam_policy'],
  check: (tf) =>
    ['aws_iam_role_policy', 'aws_iam_policy'].flatMap((type) =>
      forEach(tf, type, (p) => {
        const statements = policyStatements(tf, p.policy);
        if (!statements) return 'policy is not literal JSON or a policy document: cannot check';
        return statements
          .filter((s) => s.effect === 'Allow')
          .flatMap((s) => [
            ...s.actions.filter((a) => a === '*' || a.endsWith(':*')).map((a) => `wildcard action ${a}`),
            ...(s.resources.includes('*') ? ['Resource "*"'] : []),
          ]);
      }),
    ),
};

export const POLICY_RULES: readonly PolicyRule[] = [
  eksSecretsEncryption,
  eksControlPlaneLogging,
  eksPublicEndpointDisabled,
  eksPublicEndpointCidrs,
  imdsV2Required,
  imdsHopLimit,
  vpcFlowLogs,
  defaultSecurityGroupLocked,
  noPublicIpOnLaunch,
  irsaTrustConditions,
  kmsRotation,
  logGroupEncryption,
  noWildcardIamPolicies,
];
