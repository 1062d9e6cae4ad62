import { createHash } from 'node:crypto';

/** sha256 over the ConfigMap data with sorted keys: equal data, equal checksum. */
export function configChecksum(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((key) => [key, data[key]]),
  );
  return createHash('sha256').update(canonical).digest('hex');
}
