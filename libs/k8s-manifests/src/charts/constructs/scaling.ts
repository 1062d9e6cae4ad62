import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { COMMON_LABELS, NAMES, SELECTOR_LABELS } from '../../names.js';
import type { Autoscaling } from '../../profiles/profile.js';

export interface ScalingProps {
  namespace: string;
  autoscaling?: Autoscaling;
  disruptionBudget?: { maxUnavailable: number };
}

/** PodDisruptionBudget and HorizontalPodAutoscaler (autoscaling/v2) for the `rag-api` Deployment. */
export class Scaling extends Construct {
  constructor(scope: Construct, id: string, props: ScalingProps) {
    super(scope, id);
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...SELECTOR_LABELS, ...COMMON_LABELS } });

    if (props.disruptionBudget) {
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: metadata(NAMES.podDisruptionBudget),
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(props.disruptionBudget.maxUnavailable),
          selector: { matchLabels: { ...SELECTOR_LABELS } },
          // Evict a crash-looping pod during a drain instead of blocking the node.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    if (props.autoscaling) {
      const { minReplicas, maxReplicas, cpuUtilizationPercent } = props.autoscaling;
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
        metadata: metadata(NAMES.horizontalPodAutoscaler),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAMES.deployment },
          minReplicas,
          maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuUtilizationPercent } } }],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      });
    }
  }
}
