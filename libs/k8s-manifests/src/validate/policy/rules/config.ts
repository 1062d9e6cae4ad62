import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { configChecksum } from '../../../charts/config-checksum.js';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../../names.js';
import type { PolicyRule, Violation } from '../rule.js';
import { containers, ofKind, podTemplates } from '../workloads.js';

export const configRules: PolicyRule[] = [
  {
    id: 'K8S-CFG-001',
    title: 'Config checksum on the pod template',
    severity: 'error',
    fix: `annotate the pod template with ${CONFIG_CHECKSUM_ANNOTATION} = configChecksum(ConfigMap data)`,
    check: (objects) => {
      const maps = ofKind<IConfigMap>(objects, 'ConfigMap');
      return podTemplates(objects).flatMap((pod): Violation[] => {
        const names = pod.spec.containers.flatMap((c) => (c.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : [])));
        const map = maps.find((m) => names.includes(m.metadata?.name));
        if (!map) return [];
        const expected = configChecksum(map.data ?? {});
        const actual = pod.annotations[CONFIG_CHECKSUM_ANNOTATION];
        return actual === expected
          ? []
          : [
              {
                object: pod.object,
                path: '/spec/template/metadata/annotations',
                message: `${CONFIG_CHECKSUM_ANNOTATION} is ${actual ?? '(unset)'}, expected ${expected}: a ConfigMap change would not roll the pods`,
              },
            ];
      });
    },
  },
  {
    id: 'K8S-CFG-002',
    title: 'envFrom references exist',
    severity: 'error',
    fix: 'synthesize the referenced ConfigMap/Secret or correct the name',
    check: (objects) => {
      const has = (kind: string, name: string) => ofKind<IConfigMap | ISecret>(objects, kind).some((o) => o.metadata?.name === name);
      return containers(objects).flatMap(({ pod, container, path }) =>
        (container.envFrom ?? []).flatMap((source, i): Violation[] => {
          const ref = source.configMapRef
            ? (['ConfigMap', source.configMapRef.name] as const)
            : source.secretRef
              ? (['Secret', source.secretRef.name] as const)
              : undefined;
          if (!ref || has(ref[0], ref[1] ?? '')) return [];
          return [
            { object: pod.object, path: `${path}/envFrom/${i}`, message: `container ${container.name} reads ${ref[0]} ${ref[1]}, which is not synthesized` },
          ];
        }),
      );
    },
  },
];
