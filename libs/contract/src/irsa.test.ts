import { describe, expect, it } from 'vitest';
import { clusterName, ragApiRoleArn, ragApiServiceAccount } from './irsa.js';

describe('IRSA naming', () => {
  it('names the cluster, ServiceAccount and role per environment', () => {
    expect(clusterName('prod')).toBe('llmops-rag-eks-prod');
    expect(ragApiServiceAccount('dev')).toEqual({ namespace: 'dev', name: 'rag-api' });
    expect(ragApiRoleArn('123456789012', 'prod')).toBe('arn:aws:iam::123456789012:role/llmops-rag-prod-rag-api-irsa');
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(() => ragApiRoleArn('12345', 'prod')).toThrow('AWS account id must be 12 digits (got "12345"); set AWS_ACCOUNT_ID');
  });
});
