/**
 * IAM policy JSON as plain data. Static documents are rendered with
 * JSON.stringify, so the synthesized cdk.tf.json carries the literal policy
 * (readable by the policy checks and by humans); tokens (ARNs of resources in
 * the same stack) stay `${...}` interpolations inside the string.
 */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export function policyDocument(statements: readonly PolicyStatementJson[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });
}

/** Trust policy for an AWS service principal (eks, ec2, vpc-flow-logs ...). */
export function assumeRolePolicy(service: string, actions: readonly string[] = ['sts:AssumeRole']): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: actions }],
  });
}
