// What the demo's pages find on window and hear as events: utt (the async
// snippet's queue until utt.js arrives; its commands are src/runtime.ts's Utt), the calls
// the emulated vendors recorded (demo/lib/emulate.mjs), and utt's and the
// emulated partners' events, whose `detail` carries the outcome or partner.
export {};

declare global {
  interface Window {
    utt: ((...args: any[]) => void) & { q?: unknown[]; v?: string };
    __vendors?: Record<string, unknown[][]>;
  }
  interface WindowEventMap {
    'utt:integration': CustomEvent;
    'utt:manifest': CustomEvent;
  }
  interface DocumentEventMap {
    'demo:partner': CustomEvent<{ key: string; name: string; url: string }>;
    /** One call an emulated vendor received: its arguments, copied as JSON (demo/lib/emulate.mjs). */
    'demo:vendor': CustomEvent<{ key: string; name: string; call: unknown[] }>;
  }
}
