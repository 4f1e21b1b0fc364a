// The verify-mode entry (dist/utt.verify.js), loaded by utt.js on demand.
import { register } from './verify/index';

register(window, document);
