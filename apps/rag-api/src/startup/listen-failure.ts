import { showValue, type ConfigProblem } from '@llmops-rag/config';

export interface ListenTarget {
  host: string;
  port: number;
}

/**
 * A failed `listen` as a problem with HOST or PORT, with a fix. Only the
 * operating system knows whether a host resolves, is an address of this
 * machine, or whether a port is free or allowed, so the schema cannot catch
 * these. Returns undefined for errors that are not about where to listen.
 */
export function listenProblem(error: unknown, { host, port }: ListenTarget): ConfigProblem | undefined {
  const { code, syscall, message } = (error ?? {}) as NodeJS.ErrnoException;
  const shownHost = showValue(host);
  switch (code) {
    case 'EADDRINUSE':
      return {
        key: 'PORT',
        reason: `${port} is already in use on ${host} (EADDRINUSE)`,
        hint: `stop what listens there (ss -ltnp 'sport = :${port}') or set PORT to a free port`,
      };
    case 'EACCES':
      return port < 1024
        ? {
            key: 'PORT',
            reason: `${port} is a privileged port this process may not bind (EACCES)`,
            hint: 'use a port of 1024 or above, such as 8000 (the container runs as a non-root user)',
          }
        : {
            key: 'PORT',
            reason: `${port} on ${host} may not be bound by this process (EACCES)`,
            hint: 'use another port, such as 8000, or check what forbids it (SELinux, seccomp)',
          };
    case 'EADDRNOTAVAIL':
      return {
        key: 'HOST',
        reason: `${shownHost} is not an address of this machine (EADDRNOTAVAIL)`,
        hint: 'use 0.0.0.0 (every interface), 127.0.0.1, or an address this machine has (ip addr)',
      };
    case 'ENOTFOUND':
      return {
        key: 'HOST',
        reason: `${shownHost} does not resolve to an address (ENOTFOUND)`,
        hint: 'use an IP address such as 0.0.0.0, or a host name this machine resolves',
      };
    case 'EAI_AGAIN':
      return {
        key: 'HOST',
        reason: `${shownHost} could not be resolved: DNS did not answer (EAI_AGAIN)`,
        hint: 'use an IP address such as 0.0.0.0 (binding to it needs no DNS), or retry once DNS answers',
      };
    case 'EAFNOSUPPORT':
      return {
        key: 'HOST',
        reason: `${shownHost} is of an address family this machine does not support (EAFNOSUPPORT)`,
        hint: 'use an IPv4 address such as 0.0.0.0, or enable IPv6 on the machine',
      };
    default:
      if (syscall !== 'listen' && syscall !== 'bind' && syscall !== 'getaddrinfo') return undefined;
      return {
        key: 'HOST, PORT',
        reason: `cannot listen on ${shownHost} port ${port}: ${message}`,
        hint: 'check HOST and PORT against what the error code says the system refused',
      };
  }
}
