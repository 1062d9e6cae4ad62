/**
 * Value rules that zod's built-ins do not express. Each returns the problems
 * with a value (empty when valid) so an error can say exactly what is wrong.
 */

const AWS_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov|-iso|-isob)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$/;

export function awsRegionProblems(value: string): string[] {
  return AWS_REGION.test(value) ? [] : ['is not an AWS region code (expected e.g. ap-southeast-2, us-east-1)'];
}

/** S3 general-purpose bucket naming rules (AWS S3 user guide, "Bucket naming rules"). */
export function s3BucketProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`must be 3-63 characters long (got ${name.length})`);
  if (/[^a-z0-9.-]/.test(name)) problems.push('may contain only lowercase letters, digits, dots and hyphens');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push('must begin and end with a letter or digit');
  if (name.includes('..')) problems.push('must not contain two adjacent dots');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push('must not be formatted as an IP address');
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) problems.push(`must not start with the reserved prefix "${prefix}"`);
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) problems.push(`must not end with the reserved suffix "${suffix}"`);
  }
  return problems;
}

const PLACEHOLDER = /placeholder|changeme|change-me|replace-me|dummy|^x+$|^<.*>$/i;

/** True for values that are obviously not a real credential. */
export function looksLikePlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}
