import { formatSummary } from './report.js';
import { rehearse, type RehearsalOptions } from './rehearse.js';
import type { RehearsalResult } from './result.js';

/** The rehearsal with its report on stdout: a headline naming the profile and folder, the steps as they happen, the summary. */
export async function rehearseAndReport(options: RehearsalOptions): Promise<RehearsalResult> {
  console.log(`Pod rehearsal: ${options.profile} from ${options.dir}`);
  const result = await rehearse(options);
  console.log(formatSummary(result));
  return result;
}
