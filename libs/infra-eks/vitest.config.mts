import { projectTestConfig } from '../../vitest.shared.mts';

export default projectTestConfig('infra-eks', { testTimeout: 120_000 });
