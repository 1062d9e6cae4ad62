import { APP_GID, APP_UID } from '@llmops-rag/contract';
import type * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';

/** The image's user (libs/contract's APP_UID, 10001): above 10000 so it maps to no account on the node. */
export const RUN_AS_ID = APP_UID;

/** Pod Security Standards "restricted", plus fixed uid/gid. */
export function podSecurityContext(): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: APP_UID,
    runAsGroup: APP_GID,
    fsGroup: APP_GID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: APP_UID,
    runAsGroup: APP_GID,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
