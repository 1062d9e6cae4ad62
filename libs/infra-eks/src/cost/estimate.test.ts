import { describe, expect, it } from 'vitest';
import { estimateMonthlyCost } from './estimate.js';
import { PRICE_TABLE, USAGE_ASSUMPTIONS } from './prices.js';
import { resourcesOf, type TfBlock } from '../policy/tf-json.js';
import { clone, synthEnv } from '../testing/stacks.js';

const dev = synthEnv('dev').tf;
const prod = synthEnv('prod').tf;
const line = (estimate: ReturnType<typeof estimateMonthlyCost>, item: string) => estimate.lines.find((l) => l.item.startsWith(item))?.monthlyUsd;

describe('monthly cost estimate', () => {
  it('prices dev from its resources: control plane, 1 node, 1 NAT, 1 EIP, 2 KMS keys, logs', () => {
    const e = estimateMonthlyCost(dev, USAGE_ASSUMPTIONS.dev);
    const h = PRICE_TABLE.hoursPerMonth;
    expect(line(e, 'EKS control plane')).toBeCloseTo(h * 0.1);
    expect(line(e, 'nodes (t3.medium')).toBeCloseTo(1 * h * 0.0528);
    expect(line(e, 'node root volumes')).toBeCloseTo(20 * 0.096);
    expect(line(e, 'NAT gateways')).toBeCloseTo(1 * h * 0.059);
    expect(line(e, 'public IPv4')).toBeCloseTo(1 * h * 0.005);
    expect(line(e, 'KMS keys')).toBe(2);
    expect(line(e, 'CloudWatch Logs')).toBeGreaterThan(0);
    expect(e.monthlyUsd).toBeCloseTo(e.lines.reduce((s, l) => s + l.monthlyUsd, 0));
    expect(e.monthlyUsd).toBeGreaterThan(150);
    expect(e.unpriced).toEqual([]);
  });

  it('prod costs more: a NAT gateway and EIP per AZ, two nodes', () => {
    const d = estimateMonthlyCost(dev, USAGE_ASSUMPTIONS.dev);
    const p = estimateMonthlyCost(prod, USAGE_ASSUMPTIONS.prod);
    expect(line(p, 'NAT gateways')).toBeCloseTo(2 * line(d, 'NAT gateways')!);
    expect(line(p, 'nodes (t3.medium')).toBeCloseTo(2 * line(d, 'nodes (t3.medium')!);
    expect(p.monthlyUsd).toBeGreaterThan(d.monthlyUsd);
  });

  it('follows the synthesized JSON, not the config, and flags unknown instance types', () => {
    const tf = clone(dev);
    const ng = resourcesOf(tf, 'aws_eks_node_group')[0]!.body;
    (ng.scaling_config as TfBlock).desired_size = 3;
    ng.instance_types = ['x9.mega'];
    const e = estimateMonthlyCost(tf);
    expect(e.unpriced).toEqual(['instance type x9.mega']);
    expect(line(e, 'node root volumes')).toBeCloseTo(3 * 20 * 0.096);
  });
});
