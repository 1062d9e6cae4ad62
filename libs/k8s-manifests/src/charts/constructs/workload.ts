import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { COMMON_LABELS, CONFIG_CHECKSUM_ANNOTATION, NAMES, SELECTOR_LABELS } from '../../names.js';
import type { Profile } from '../../profiles/profile.js';
import { probes } from '../pod/probes.js';
import { resourceRequirements } from '../pod/resources.js';
import { containerSecurityContext, podSecurityContext } from '../pod/security.js';
import { terminationGracePeriodSeconds } from '../pod/shutdown.js';
import type { AppConfig } from './app-config.js';

export interface WorkloadProps {
  profile: Profile;
  image: string;
  config: AppConfig;
  serviceAccountName: string;
}

/** Deployment `rag-api`: container `api` on port 8000, restricted, draining the way the app does. */
export class Workload extends Construct {
  readonly port: number;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const { profile, config } = props;
    this.port = Number(config.containerValues.PORT ?? '8000');

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: NAMES.deployment, namespace: profile.namespace, labels: { ...SELECTOR_LABELS, ...COMMON_LABELS } },
      spec: {
        // With an HPA the Deployment leaves replicas to it; re-applying a fixed count would undo a scale-out.
        ...(profile.autoscaling ? {} : { replicas: profile.replicas }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...SELECTOR_LABELS } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: { ...SELECTOR_LABELS, ...COMMON_LABELS },
            annotations: { [CONFIG_CHECKSUM_ANNOTATION]: config.checksum },
          },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(),
            terminationGracePeriodSeconds: terminationGracePeriodSeconds(config.drainSeconds),
            ...(profile.topologySpread ? { topologySpreadConstraints: spreadOverZonesAndNodes() } : {}),
            containers: [
              {
                name: NAMES.container,
                image: props.image,
                imagePullPolicy: profile.imagePullPolicy,
                ports: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
                envFrom: [{ configMapRef: { name: config.configMapName } }, { secretRef: { name: config.secretName } }],
                env: Object.entries(config.containerValues).map(([name, value]) => ({ name, value })),
                ...probes(this.port),
                resources: resourceRequirements(profile.resources),
                securityContext: containerSecurityContext(),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(profile.tmpSizeLimit) } }],
          },
        },
      },
    });
  }
}

/** Soft constraints: with fewer zones or nodes than pods the scheduler still places them. */
function spreadOverZonesAndNodes(): k8s.TopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...SELECTOR_LABELS } },
    matchLabelKeys: ['pod-template-hash'],
  }));
}
