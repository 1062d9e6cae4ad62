/** Which check produced an issue. */
export type IssueSource = 'schema' | 'models';

/** One structural problem with one object: what, where (JSON pointer) and how to fix it. */
export interface SchemaIssue {
  source: IssueSource;
  /** `Kind/name` of the object. */
  object: string;
  /** JSON pointer inside the object, e.g. `/spec/replicas`. */
  path: string;
  message: string;
  fix: string;
}

export function formatIssue(issue: SchemaIssue): string {
  return `${issue.object} ${issue.path || '/'}: ${issue.message} [${issue.source}] — fix: ${issue.fix}`;
}
