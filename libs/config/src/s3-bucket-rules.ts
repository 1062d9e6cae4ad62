/**
 * S3 general-purpose bucket naming rules (AWS S3 user guide, "Bucket naming
 * rules"): every problem with a name, empty when valid, so an error can say
 * exactly what is wrong.
 */
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
