// The script-tag entry (dist/utt.js, dist/utt.debug.js).
import { boot } from './boot';

boot(window, document, document.currentScript as HTMLScriptElement | null);
