import { projectTestConfig } from '../../vitest.shared.mts';

export default projectTestConfig('pod-rehearsal', { testTimeout: 30_000 });
