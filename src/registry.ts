import registry from 'utt:registry';
import { own } from './own';
import type { Partner } from './types';

/** The compiled registry entry for a partner key, if this build has one. */
export const lookup = (key: string): Partner | undefined => own(registry, key) as Partner | undefined;
