import { describe, expect, it } from 'vitest';
import { s3BucketProblems } from './s3-bucket-rules.js';

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
