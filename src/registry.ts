import registry from 'utt:registry';
import type { Partner } from './compiled';
import { own } from './own';

/** The compiled registry entry for a partner key, if this build has one. */
export const lookup = (key: string): Partner | undefined => own(registry, key) as Partner | undefined;
