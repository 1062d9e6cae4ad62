/** Small IPv4 CIDR helpers: props are checked at construction, before terraform ever sees them. */

export interface Ipv4Cidr {
  readonly base: number;
  readonly prefix: number;
}

export function parseIpv4Cidr(cidr: string): Ipv4Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(cidr)}`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(cidr)}`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) throw new Error(`CIDR ${cidr} has host bits set (did you mean ${formatIpv4(address - (address % size))}/${prefix}?)`);
  return { base: address, prefix };
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

export function cidrContains(outer: string, inner: string): boolean {
  const o = parseIpv4Cidr(outer);
  const i = parseIpv4Cidr(inner);
  if (i.prefix < o.prefix) return false;
  const size = 2 ** (32 - o.prefix);
  return i.base >= o.base && i.base < o.base + size;
}

export function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** 0.0.0.0/0 or any CIDR that is the whole internet in disguise (prefix 0). */
export function isAnywhere(cidr: string): boolean {
  return parseIpv4Cidr(cidr).prefix === 0;
}
