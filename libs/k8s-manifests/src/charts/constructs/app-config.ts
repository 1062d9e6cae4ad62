import { PLACEHOLDER_SECRET, type AppEnv } from '@llmops-rag/config';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { Construct } from 'constructs';
import type { ConfigSource } from '../../config/config-source.js';
import { COMMON_LABELS, NAMES, SELECTOR_LABELS } from '../../names.js';
import { secretProps } from '../../secret/secret-props.js';
import { configChecksum } from '../config-checksum.js';
import { drainSeconds } from '../pod/shutdown.js';

export interface AppConfigProps {
  namespace: string;
  appEnv: AppEnv;
  source: ConfigSource;
}

/** ConfigMap `rag-api-config` and Secret `rag-api-secrets`, both generated from the config schema. */
export class AppConfig extends Construct {
  readonly configMapName = NAMES.configMap;
  readonly secretName = NAMES.secret;
  /** Rolls the pods when the ConfigMap changes (pod-template annotation). */
  readonly checksum: string;
  readonly drainSeconds: number;
  readonly containerValues: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppConfigProps) {
    super(scope, id);
    const data = props.source.configMapData(props.appEnv);
    this.checksum = configChecksum(data);
    this.drainSeconds = drainSeconds(data);
    this.containerValues = props.source.containerFixedValues(props.appEnv);

    new k8s.KubeConfigMap(this, 'config-map', {
      metadata: { name: NAMES.configMap, namespace: props.namespace, labels: { ...SELECTOR_LABELS, ...COMMON_LABELS } },
      data,
    });

    // Placeholders only; the deploy replaces them in memory (secret/secret-from-env.ts).
    const placeholders = Object.fromEntries(props.source.secretKeys().map((key) => [key, PLACEHOLDER_SECRET]));
    new k8s.KubeSecret(this, 'secret', secretProps(props.namespace, placeholders, 'placeholder'));
  }
}
