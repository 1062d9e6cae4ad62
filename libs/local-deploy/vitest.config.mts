import { projectTestConfig } from '../../vitest.shared.mts';

export default projectTestConfig('local-deploy', { testTimeout: 30_000 });
