// The local deploy engine: deploy-minikube / deploy-local / teardown / history / rollback / diff / dev (run through libs/k8s-manifests' Nx targets).
export { artifactPaths, IMAGE_ID_ANNOTATION, runDeploy, type DeployDeps, type DeployOptions, type DeployResult } from './deploy.js';
export { runTeardown, type TeardownDeps, type TeardownOptions } from './teardown.js';
export { runHistory, type HistoryOptions } from './release/history.js';
export { runRollback, type RollbackOptions } from './release/rollback.js';
export { runDiff } from './diff/run-diff.js';
export type { DiffOptions, DiffResult } from './diff/diff-options.js';
export { runDev } from './dev/run-dev.js';
export type { DevOptions, DevResult } from './dev/dev-options.js';
export type { ReleaseRecord, ReleaseStatus } from './release/record.js';
export { clientKubeApi, currentContext, loadKubeConfig } from './kube-client.js';
export { consoleOutput, type Output } from './types.js';
