import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { libsConfigSource, type ConfigSource } from '../config/config-source.js';
import type { Profile } from '../profiles/profile.js';
import { AppConfig } from './constructs/app-config.js';
import { Identity } from './constructs/identity.js';
import { Network } from './constructs/network.js';
import { Scaling } from './constructs/scaling.js';
import { Workload } from './constructs/workload.js';

export interface RagApiChartProps {
  profile: Profile;
  /** ServiceAccount name from libs/infra-eks (the IRSA trust names it). */
  serviceAccountName: string;
  /** Overrides `profile.image` (a release's tag or digest). */
  image?: string;
  /** IRSA role for the ServiceAccount; only used when `profile.irsa`. */
  roleArn?: string;
  /** ConfigMap data and Secret keys; defaults to libs/config. */
  configSource?: ConfigSource;
}

/** The rag-api in one namespace: config, identity, workload, network and scaling. */
export class RagApiChart extends Chart {
  readonly config: AppConfig;

  constructor(scope: Construct, id: string, props: RagApiChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { profile } = props;
    const namespace = profile.namespace;

    this.config = new AppConfig(this, 'config', { namespace, appEnv: profile.appEnv, source: props.configSource ?? libsConfigSource });
    const identity = new Identity(this, 'identity', {
      namespace,
      name: props.serviceAccountName,
      ...(profile.irsa && props.roleArn ? { roleArn: props.roleArn } : {}),
    });
    const workload = new Workload(this, 'workload', {
      profile,
      image: props.image ?? profile.image,
      config: this.config,
      serviceAccountName: identity.serviceAccountName,
    });
    new Network(this, 'network', { namespace, targetPort: workload.port, networkPolicy: profile.networkPolicy });
    new Scaling(this, 'scaling', {
      namespace,
      ...(profile.autoscaling ? { autoscaling: profile.autoscaling } : {}),
      ...(profile.disruptionBudget ? { disruptionBudget: profile.disruptionBudget } : {}),
    });
  }
}
