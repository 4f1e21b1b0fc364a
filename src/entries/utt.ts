// The script-tag entry (dist/utt.js, dist/utt.debug.js): the generic tag.
import { boot } from '../boot';
import { get } from '../dom';
import { generic } from '../generic';

// Through Document.prototype's getter, and only a real <script>: an
// `<img name="currentScript" src=…>` in the page's markup must not become utt's tag.
const tag = get(document, 'currentScript');
boot(window, document, tag instanceof HTMLScriptElement ? tag : null, generic());
