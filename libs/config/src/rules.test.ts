import { describe, expect, it } from 'vitest';
import { awsRegionProblems, looksLikePlaceholder, s3BucketProblems } from './rules.js';

describe('AWS region rule', () => {
  it.each(['ap-southeast-2', 'us-east-1', 'eu-central-2', 'us-gov-west-1', 'il-central-1'])('accepts %s', (region) => {
    expect(awsRegionProblems(region)).toEqual([]);
  });
  it.each(['ap-southeast', 'AP-SOUTHEAST-2', 'mars-north-1', 'ap-southeast-0', 'sydney'])('rejects %s', (region) => {
    expect(awsRegionProblems(region)).toHaveLength(1);
  });
});

describe('S3 bucket naming rules', () => {
  it.each(['llmops-rag-documents-dev', 'abc', 'a.b-c1', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(s3BucketProblems(name)).toEqual([]);
  });
  it.each([
    ['ab', 'must be 3-63 characters long (got 2)'],
    ['x'.repeat(64), 'must be 3-63 characters long (got 64)'],
    ['Upper', 'may contain only lowercase letters, digits, dots and hyphens'],
    ['under_score', 'may contain only lowercase letters, digits, dots and hyphens'],
    ['-leading', 'must begin and end with a letter or digit'],
    ['a..b', 'must not contain two adjacent dots'],
    ['192.168.5.4', 'must not be formatted as an IP address'],
    ['xn--bucket', 'must not start with the reserved prefix "xn--"'],
    ['bucket-s3alias', 'must not end with the reserved suffix "-s3alias"'],
  ])('rejects %s: %s', (name, problem) => {
    expect(s3BucketProblems(name)).toContain(problem);
  });
});

describe('placeholder detection', () => {
  it.each(['placeholder', 'PLACEHOLDER-not-a-real-key', 'changeme', 'xxxx', '<api-key>'])('flags %s', (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });
  it('does not flag a real-looking key', () => {
    expect(looksLikePlaceholder('sk-proj-8Jd93kLmQ02xZ')).toBe(false);
  });
});
