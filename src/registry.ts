import registry from 'utt:registry';
import type { Partner } from './compiled';
import { own } from './own';
import { decode, decodeId, type WireEntry } from './partner';

/** The compiled registry entry for a partner key, if this build has one. */
export const lookup = (key: string): Partner | undefined => {
  const entry = own(registry, key) as WireEntry | undefined;
  return entry && decode(entry[0], entry[1].map(decodeId), entry[2]);
};
