// How every conformance run asks an engine about one case: the resource is
// requested the way utt would (a script inserted through the DOM, an image,
// a fetch or a WebSocket, a frame), and the answer comes from events only,
// never from a timer or from request logs:
//   allow  the script loaded and ran, the image loaded, the fetch resolved or
//          the WebSocket opened, the frame's document posted a message
//   block  the load failed AND an enforced securitypolicyviolation arrived
//          (in either order): a load that fails for any other reason (the
//          harness's network) answers neither, and the test fails on its
//          timeout rather than count a broken load as CSP's refusal. A blocked
//          frame still fires load, on an error page, so load says nothing there.
import type { Case } from './cases';

/** The body of a frame document: it tells its parent it ran. */
export const FRAME_BODY = "<!doctype html><script>parent.postMessage('csp-frame', '*')</script>";

/** The body of an async function, run in the case's page, that resolves to 'allow' or 'block'. */
export function probe(c: Case): string {
  const params = JSON.stringify({ url: c.url, type: c.type ?? 'script', nonce: c.nonce, integrity: c.integrity });
  return `
    const { url, type, nonce, integrity } = ${params};
    return await new Promise((resolve) => {
      let failed = false;
      let violated = false;
      document.addEventListener('securitypolicyviolation', (e) => {
        if (e.disposition !== 'enforce') return;
        violated = true;
        if (failed || type === 'frame') resolve('block');
      });
      const fail = () => {
        failed = true;
        if (violated) resolve('block');
      };
      if (type === 'script') {
        const s = document.createElement('script');
        if (nonce) s.nonce = nonce;
        if (integrity) {
          s.integrity = integrity;
          s.crossOrigin = 'anonymous';
        }
        s.onload = () => resolve(window.__csp_ran === 1 ? 'allow' : 'ran ' + window.__csp_ran + ' times');
        s.onerror = fail;
        s.src = url;
        document.head.appendChild(s);
      } else if (type === 'img') {
        const img = new Image();
        img.onload = () => resolve('allow');
        img.onerror = fail;
        img.src = url;
      } else if (type === 'connect' && /^wss?:/.test(url)) {
        try {
          const ws = new WebSocket(url);
          ws.onopen = () => { ws.close(); resolve('allow'); };
          ws.onerror = fail;
        } catch (e) {
          fail();
        }
      } else if (type === 'connect') {
        fetch(url).then(() => resolve('allow'), fail);
      } else {
        addEventListener('message', (e) => { if (e.data === 'csp-frame') resolve('allow'); });
        const f = document.createElement('iframe');
        f.src = url;
        document.body.appendChild(f);
      }
    });`;
}
