import { devProfile } from './dev.js';
import type { Profile, ProfileName } from './profile.js';
import { prodProfile } from './prod.js';

export { devProfile } from './dev.js';
export { prodProfile } from './prod.js';
export type { Autoscaling, ImagePullPolicy, Profile, ProfileName, ResourceAmounts, Waiver } from './profile.js';

export const PROFILES: Readonly<Record<ProfileName, Profile>> = { dev: devProfile, prod: prodProfile };

export function profileByName(name: string): Profile {
  const profile = PROFILES[name as ProfileName] as Profile | undefined;
  if (!profile) throw new Error(`unknown profile "${name}"; use one of ${Object.keys(PROFILES).join(', ')}`);
  return profile;
}
