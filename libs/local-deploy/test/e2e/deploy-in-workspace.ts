// The deploy command (src/cli/deploy-command.ts, as src/cmd/deploy.ts runs it) on the workspace LLMOPS_E2E_WORKSPACE
// names: a revision an end-to-end case built (makeWorkspace), deployed by a child process it can signal.
import { deployCommand } from '../../src/cli/deploy-command.js';

const root = process.env.LLMOPS_E2E_WORKSPACE;
if (!root) throw new Error('LLMOPS_E2E_WORKSPACE: the workspace to deploy from is not set');
deployCommand(root);
