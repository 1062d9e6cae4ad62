import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

type FlagTypes = Readonly<Record<string, { type: 'string' | 'boolean' }>>;

/**
 * The flags Nx did not pass on to this command. `nx run project:target --a=1 -- --b=2` gives a `command` target only
 * what follows `--`: Nx's parser keeps the command line's other options in its list of positionals and, when there is
 * a `--`, forwards that part alone (yargs `populate--`), so `--a=1` is silently lost. Without `--` every option is
 * forwarded. Under Nx (it sets NX_TASK_TARGET_PROJECT/TARGET in the task's environment), the `nx` process's own
 * command line is read among this process's ancestors, and the options before `--` that this command takes (`flags`;
 * anything else is Nx's own, such as --skip-nx-cache) are returned, ready to go in front of argv.
 */
export function flagsNxDropped(
  flags: FlagTypes,
  env: NodeJS.ProcessEnv = process.env,
  commandLineOf: (pid: number) => Ancestor | undefined = ancestor,
): string[] {
  const project = env.NX_TASK_TARGET_PROJECT;
  const target = env.NX_TASK_TARGET_TARGET;
  if (!project || !target) return [];
  const nx = nxCommandLine(project, target, commandLineOf);
  if (!nx) return [];
  const separator = nx.indexOf('--');
  if (separator < 0) return [];
  const before = nx.slice(0, separator);
  const kept: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const token = before[i] as string;
    const match = token.match(/^--([^=]+)(=.*)?$/);
    const flag = match ? flags[match[1] as string] : undefined;
    if (!match || !flag) continue;
    if (flag.type === 'boolean' || match[2] !== undefined) kept.push(token);
    else if (i + 1 < before.length && !(before[i + 1] as string).startsWith('-')) kept.push(token, before[++i] as string);
  }
  return kept;
}

export interface Ancestor {
  ppid: number;
  argv: string[];
}

/** The nearest ancestor that is `nx run <project>:<target>` / `nx <target> <project>`, from its target onwards. */
function nxCommandLine(project: string, target: string, commandLineOf: (pid: number) => Ancestor | undefined): string[] | undefined {
  const qualified = new RegExp(`^${escape(project)}:${escape(target)}(:[^:]+)?$`);
  let pid = process.ppid;
  for (let depth = 0; depth < 12 && pid > 1; depth++) {
    const found = commandLineOf(pid);
    if (!found) return undefined;
    const at = found.argv.findIndex((a, i) => qualified.test(a) || (a === target && found.argv[i + 1] === project));
    if (at >= 0 && found.argv.some((a) => /(^|\/)nx(\.js)?$/.test(a))) return found.argv.slice(at + (qualified.test(found.argv[at] as string) ? 1 : 2));
    pid = found.ppid;
  }
  return undefined;
}

/** A process's parent and exact argv: /proc on Linux, `ps` elsewhere (its command line split on spaces). */
function ancestor(pid: number): Ancestor | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a, i, all) => a !== '' || i < all.length - 1);
    return { ppid, argv };
  } catch {
    try {
      const line = execFileSync('ps', ['-o', 'ppid=', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      const [ppid, ...argv] = line.split(/\s+/);
      return { ppid: Number(ppid), argv };
    } catch {
      return undefined;
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
