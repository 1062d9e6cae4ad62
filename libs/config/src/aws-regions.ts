/**
 * AWS region codes by partition, so regions outside the commercial partition
 * (China, GovCloud, the isolated ISO partitions, the European Sovereign Cloud)
 * are accepted like any other. The shapes follow the `regionRegex` of each
 * partition in the AWS SDKs' partitions.json, with the direction spelled out
 * so a typo such as `ap-sotheast-2` is still refused.
 */
export interface AwsPartition {
  id: string;
  /** Everything before the direction, e.g. `us-gov` or `eusc-de`. */
  prefixes: readonly string[];
  example: string;
}

export const AWS_PARTITIONS: readonly AwsPartition[] = [
  { id: 'aws', prefixes: ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx'], example: 'ap-southeast-2' },
  { id: 'aws-cn', prefixes: ['cn'], example: 'cn-north-1' },
  { id: 'aws-us-gov', prefixes: ['us-gov'], example: 'us-gov-west-1' },
  { id: 'aws-iso', prefixes: ['us-iso'], example: 'us-iso-east-1' },
  { id: 'aws-iso-b', prefixes: ['us-isob'], example: 'us-isob-east-1' },
  { id: 'aws-iso-e', prefixes: ['eu-isoe'], example: 'eu-isoe-west-1' },
  { id: 'aws-iso-f', prefixes: ['us-isof'], example: 'us-isof-south-1' },
  { id: 'aws-eusc', prefixes: ['eusc-de'], example: 'eusc-de-east-1' },
];

const DIRECTIONS = ['north', 'south', 'east', 'west', 'central', 'northeast', 'southeast', 'northwest', 'southwest'];

function regionPattern(partition: AwsPartition): RegExp {
  return new RegExp(`^(?:${partition.prefixes.join('|')})-(?:${DIRECTIONS.join('|')})-[1-9]\\d?$`);
}

const PATTERNS = AWS_PARTITIONS.map((partition) => ({ partition, pattern: regionPattern(partition) }));

/** The partition a region code belongs to, or undefined when it is no region code. */
export function awsPartitionOf(region: string): AwsPartition | undefined {
  return PATTERNS.find(({ pattern }) => pattern.test(region))?.partition;
}

export function awsRegionProblems(value: string): string[] {
  if (awsPartitionOf(value)) return [];
  const examples = AWS_PARTITIONS.map((p) => p.example).join(', ');
  return [`is not an AWS region code (expected e.g. ${examples})`];
}
