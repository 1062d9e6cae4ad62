import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The system CA bundle (Debian's ca-certificates), copied where distroless has it. */
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
export const NODE_PATH_IN_IMAGE = '/nodejs/bin/node';
/** distroless's `nonroot` user, the base image's default USER. */
export const NONROOT_UID = 65532;

/**
 * The absolute paths of the shared libraries in `ldd` output, including the
 * dynamic loader; virtual objects such as linux-vdso have no path and are
 * skipped. A "not found" library is an error (the binary would not start).
 */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (/=>\s*not found/.test(line)) throw new Error(`ldd: a required library is missing on this machine: ${line}`);
    const match = line.match(/=>\s*(\/\S+)/) ?? line.match(/^(\/\S+)\s+\(/);
    if (match?.[1]) paths.push(match[1]);
  }
  return [...new Set(paths)];
}

export function sharedLibrariesOf(binary: string): string[] {
  const libs = parseLdd(execFileSync('ldd', [binary], { encoding: 'utf8' }));
  if (!libs.some((p) => p.includes('ld-linux'))) throw new Error(`ldd ${binary}: no dynamic loader listed; is it a dynamically linked ELF binary?`);
  return libs;
}

export interface Account {
  name: string;
  uid: number;
  home: string;
}

/** root, the app user (10001) and distroless's nonroot (65532) and nobody. No login shells: there are none. */
export function accounts(appUid: number): Account[] {
  return [
    { name: 'root', uid: 0, home: '/root' },
    { name: 'app', uid: appUid, home: '/home/app' },
    { name: 'nonroot', uid: NONROOT_UID, home: '/home/nonroot' },
    { name: 'nobody', uid: 65534, home: '/nonexistent' },
  ];
}

export function passwdFile(list: readonly Account[]): string {
  return list.map((a) => `${a.name}:x:${a.uid}:${a.uid}:${a.name}:${a.home}:/sbin/nologin\n`).join('');
}

export function groupFile(list: readonly Account[]): string {
  return list.map((a) => `${a.name}:x:${a.uid}:\n`).join('');
}

/**
 * Writes the base root filesystem into `root`: the Node binary at
 * /nodejs/bin/node, each library at the path ldd printed (symlinks resolved),
 * passwd/group, the CA bundle, /tmp (1777) and the users' homes.
 */
export function writeBaseRootfs(root: string, nodeBinary: string, libraries: readonly string[], appUid: number): void {
  const put = (path: string, mode: number) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    return { target: join(root, path), mode };
  };
  const node = put(NODE_PATH_IN_IMAGE, 0o755);
  copyFileSync(nodeBinary, node.target);
  chmodSync(node.target, node.mode);
  for (const lib of libraries) {
    const { target } = put(lib, 0o755);
    copyFileSync(lib, target);
    chmodSync(target, 0o755);
  }
  const list = accounts(appUid);
  const etc = (name: string, text: string) => {
    const { target } = put(`/etc/${name}`, 0o644);
    writeFileSync(target, text, { mode: 0o644 });
  };
  etc('passwd', passwdFile(list));
  etc('group', groupFile(list));
  etc('nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n');
  const ca = put(CA_BUNDLE, 0o644);
  copyFileSync(CA_BUNDLE, ca.target);
  chmodSync(ca.target, 0o644);

  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  for (const account of list) {
    if (account.home === '/nonexistent') continue;
    const home = join(root, account.home);
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o700);
    // Only root can hand a directory to another uid; elsewhere homes stay root-owned (the app does not use them).
    if (process.getuid?.() === 0) chownSync(home, account.uid, account.uid);
  }
}
