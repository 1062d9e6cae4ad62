import { describe, expect, it } from 'vitest';
import { AWS_PARTITIONS, awsPartitionOf, awsRegionProblems } from './aws-regions.js';

describe('AWS region codes, by partition', () => {
  it.each([
    ['ap-southeast-2', 'aws'],
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['il-central-1', 'aws'],
    ['mx-central-1', 'aws'],
    ['ap-southeast-7', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-iso-west-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['us-isof-east-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('accepts %s (partition %s)', (region, partition) => {
    expect(awsRegionProblems(region)).toEqual([]);
    expect(awsPartitionOf(region)?.id).toBe(partition);
  });

  it('accepts the example of every partition it knows', () => {
    for (const partition of AWS_PARTITIONS) expect(awsPartitionOf(partition.example)?.id).toBe(partition.id);
  });

  it.each([
    'ap-southeast',
    'AP-SOUTHEAST-2',
    'mars-north-1',
    'ap-southeast-0',
    'ap-sotheast-2',
    'sydney',
    'cn-gov-west-1',
    'eu-isob-east-1',
    'eusc-fr-east-1',
    'us-east-1 ',
    'us-east-1\n',
    'aws-global',
  ])('rejects %j, listing an example per partition', (region) => {
    const problems = awsRegionProblems(region);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^is not an AWS region code \(expected e\.g\. ap-southeast-2, cn-north-1, us-gov-west-1, .*eusc-de-east-1\)$/);
  });
});
