import { projectTestConfig } from '../../vitest.shared.mts';

export default projectTestConfig('k8s-manifests', { testTimeout: 30_000 });
