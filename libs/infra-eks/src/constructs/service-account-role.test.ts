import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ragApiStatements, ServiceAccountRole, type ServiceAccountRoleProps } from './service-account-role.js';
import { dataSourcesOf, type TfJson } from '../policy/tf-json.js';
import { only } from '../testing/stacks.js';

const props: ServiceAccountRoleProps = {
  roleName: 'llmops-rag-prod-rag-api-irsa',
  oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-southeast-2.amazonaws.com/id/ABC',
  oidcIssuer: 'oidc.eks.ap-southeast-2.amazonaws.com/id/ABC',
  serviceAccount: { namespace: 'prod', name: 'rag-api' },
  statements: ragApiStatements({ documentsBucket: 'llmops-rag-documents-prod', region: 'ap-southeast-2' }),
};

function synth(p: ServiceAccountRoleProps): TfJson {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new ServiceAccountRole(scope, 'irsa', p);
    }),
  ) as TfJson;
}

describe('ServiceAccountRole', () => {
  const tf = synth(props);

  it('trusts exactly one service account (sub) through STS (aud), with StringEquals', () => {
    const [doc] = dataSourcesOf(tf, 'aws_iam_policy_document');
    expect(doc?.body.statement).toEqual([
      {
        sid: 'ServiceAccountOnly',
        effect: 'Allow',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [props.oidcProviderArn] }],
        condition: [
          { test: 'StringEquals', variable: `${props.oidcIssuer}:sub`, values: ['system:serviceaccount:prod:rag-api'] },
          { test: 'StringEquals', variable: `${props.oidcIssuer}:aud`, values: ['sts.amazonaws.com'] },
        ],
      },
    ]);
    const role = only(tf, 'aws_iam_role').body;
    expect(role.name).toBe('llmops-rag-prod-rag-api-irsa');
    expect(role.assume_role_policy).toBe(`\${${doc?.address}.json}`);
  });

  it('grants only read on the documents bucket and Bedrock invoke in the region', () => {
    const policy = JSON.parse(only(tf, 'aws_iam_role_policy').body.policy as string) as { Statement: unknown[] };
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Sid: 'ListDocumentsBucket', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::llmops-rag-documents-prod'] },
      { Effect: 'Allow', Sid: 'ReadDocuments', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::llmops-rag-documents-prod/*'] },
      {
        Effect: 'Allow',
        Sid: 'InvokeBedrockModels',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: ['arn:aws:bedrock:ap-southeast-2::foundation-model/*'],
      },
    ]);
  });

  it('refuses wildcard service accounts and wildcard permissions', () => {
    expect(() => synth({ ...props, serviceAccount: { namespace: 'prod', name: '*' } })).toThrow(/wildcards are not allowed/);
    expect(() => synth({ ...props, serviceAccount: { namespace: '*', name: 'rag-api' } })).toThrow(/wildcards are not allowed/);
    expect(() => synth({ ...props, statements: [{ Action: ['s3:*'], Resource: ['arn:aws:s3:::b'] }] })).toThrow(/wildcard action/);
    expect(() => synth({ ...props, statements: [{ Action: ['s3:GetObject'], Resource: ['*'] }] })).toThrow(/Resource "\*"/);
  });
});
