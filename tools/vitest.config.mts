import { fileURLToPath } from 'node:url';
import { projectTestConfig } from '../vitest.shared.mts';

// `root` pins the test search to tools/ whichever directory vitest starts from.
export default {
  ...projectTestConfig('workspace-tools', { include: ['**/*.test.ts'], testTimeout: 30_000 }),
  root: fileURLToPath(new URL('.', import.meta.url)),
};
