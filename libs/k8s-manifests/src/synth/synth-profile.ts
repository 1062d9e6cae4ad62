import { ragApiRoleArn, ragApiServiceAccount } from '@llmops-rag/contract';
import { App } from 'cdk8s';
import { NamespaceChart } from '../charts/namespace-chart.js';
import { RagApiChart } from '../charts/rag-api-chart.js';
import type { ConfigSource } from '../config/config-source.js';
import { PLACEHOLDER_AWS_ACCOUNT_ID } from '../names.js';
import type { Profile } from '../profiles/profile.js';
import type { KubeObject } from '@llmops-rag/contract';

export interface SynthOptions {
  /** 12-digit account of the IRSA role (prod); unset means PLACEHOLDER_AWS_ACCOUNT_ID and a report warning. */
  awsAccountId?: string;
  /** Image override, `repository:tag` or `repository@sha256:...`. */
  image?: string;
  /** ConfigMap data and Secret keys; defaults to libs/config. */
  configSource?: ConfigSource;
}

export interface SynthResult {
  profile: Profile;
  /** Every object, in apply order (Namespace first). Plain JSON. */
  objects: KubeObject[];
  /** The IRSA role annotated on the ServiceAccount (profiles with `irsa`). */
  roleArn?: string;
}

/** Synthesizes a profile in memory with cdk8s (no files, no cdk8s-cli). */
export function synthProfile(profile: Profile, options: SynthOptions = {}): SynthResult {
  const app = new App({ recordConstructMetadata: false });
  const serviceAccount = ragApiServiceAccount(profile.appEnv);
  const roleArn = profile.irsa ? ragApiRoleArn(options.awsAccountId ?? PLACEHOLDER_AWS_ACCOUNT_ID, profile.appEnv) : undefined;

  const namespaceChart = new NamespaceChart(app, `${profile.name}-namespace`, { namespace: profile.namespace });
  const apiChart = new RagApiChart(app, `${profile.name}-rag-api`, {
    profile,
    serviceAccountName: serviceAccount.name,
    ...(options.image ? { image: options.image } : {}),
    ...(roleArn ? { roleArn } : {}),
    ...(options.configSource ? { configSource: options.configSource } : {}),
  });
  apiChart.addDependency(namespaceChart);

  const objects = [...namespaceChart.toJson(), ...apiChart.toJson()] as KubeObject[];
  return { profile, objects, ...(roleArn ? { roleArn } : {}) };
}
