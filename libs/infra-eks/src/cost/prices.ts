/**
 * ap-southeast-2 (Sydney) on-demand list prices, USD, used by the monthly
 * estimate. Recorded from the public AWS pricing pages (aws.amazon.com/eks/pricing,
 * /ec2/pricing/on-demand, /vpc/pricing, /kms/pricing, /cloudwatch/pricing,
 * /ebs/pricing); these pages are not reachable from this offline machine, so
 * the table could not be re-checked on the date below — check the AWS Pricing
 * Calculator before an apply. Tax and free tier are ignored.
 */
export const PRICE_TABLE = {
  region: 'ap-southeast-2',
  currency: 'USD',
  recorded: '2025-06 (list prices; not re-verified offline on 2026-11-29)',
  source: 'aws.amazon.com/{eks,ec2,vpc,kms,cloudwatch,ebs}/pricing, Asia Pacific (Sydney)',
  hoursPerMonth: 730,
  eksControlPlanePerHour: 0.1,
  eksExtendedSupportPerHour: 0.6,
  ec2PerHour: { 't3.medium': 0.0528, 't3.large': 0.1056, 'm5.large': 0.12 } as Readonly<Record<string, number>>,
  natGatewayPerHour: 0.059,
  natGatewayPerGbProcessed: 0.059,
  publicIpv4PerHour: 0.005,
  kmsKeyPerMonth: 1,
  cloudwatchLogsIngestPerGb: 0.57,
  cloudwatchLogsStoragePerGbMonth: 0.033,
  ebsGp3PerGbMonth: 0.096,
} as const;

/** Usage the list prices are multiplied by (per stack, per month). Guesses for a small RAG API; change them here. */
export interface UsageAssumptions {
  readonly natGbProcessedPerMonth: number;
  /** Control-plane + flow logs ingested per month. */
  readonly logGbIngestedPerMonth: number;
}

export const USAGE_ASSUMPTIONS: Readonly<Record<string, UsageAssumptions>> = {
  dev: { natGbProcessedPerMonth: 10, logGbIngestedPerMonth: 3 },
  prod: { natGbProcessedPerMonth: 50, logGbIngestedPerMonth: 15 },
};

export const DEFAULT_USAGE: UsageAssumptions = { natGbProcessedPerMonth: 10, logGbIngestedPerMonth: 3 };
