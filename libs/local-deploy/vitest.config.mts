import { projectTestConfig } from '../../vitest.shared.mts';

const config = projectTestConfig('local-deploy', { testTimeout: 30_000 });
// The end-to-end suites on a given cluster share its namespace `dev`: one file at a time (test/e2e/e2e-cluster.ts).
if (process.env.LLMOPS_E2E_KUBECONFIG && config.test) config.test.fileParallelism = false;
export default config;
