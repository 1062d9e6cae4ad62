import { projectTestConfig } from '../../vitest.shared.mts';

export default projectTestConfig('rag-api', { testTimeout: 30_000 });
