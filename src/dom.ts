// The merchant's markup is untrusted: an `<img name="head">`, `<form name>`,
// `<embed name>`, `<object name>` or `<iframe name>` shadows the `document`
// property of that name (DOM clobbering), and any element `id` shadows what
// `window` inherits (its EventTarget methods among them). utt reads what it
// depends on from the prototypes, which markup cannot reach.
// https://html.spec.whatwg.org/multipage/dom.html#dom-document-nameditem
import { has } from './own';

/**
 * `o[name]` as `o`'s prototypes define it: a getter's value, or a method
 * bound to `o`. Named elements are own properties of a document, so the walk
 * starts at its prototype, and it ends before Object.prototype, which a
 * polluting script may have filled. Not for `window`: see `on` here, and report.ts's dispatch.
 */
export const get = (o: object, name: string): any => {
  for (let p = o, desc: PropertyDescriptor | undefined; (p = Object.getPrototypeOf(p)) && p != Object.prototype; )
    if ((desc = Object.getOwnPropertyDescriptor(p, name)))
      // A descriptor is a plain object: its `get` is read as its own, never Object.prototype's.
      return has(desc, 'get') ? desc.get!.call(o) : desc.value.bind(o);
};

/** `target.addEventListener(type, listener, options)` through `w`'s own EventTarget, past a shadowing element. */
export const on = (
  w: Window,
  target: EventTarget,
  type: string,
  listener: (e: any) => void,
  options?: boolean | AddEventListenerOptions,
): void =>
  (w as unknown as typeof globalThis).EventTarget.prototype.addEventListener.call(target, type, listener, options);

/** Where utt inserts its scripts: the document's <head>, or its root element. */
export const parentOf = (d: Document): Node => get(d, 'head') || get(d, 'documentElement');

/** A new element of utt's, made by the document's own createElement. */
export const create = <K extends keyof HTMLElementTagNameMap>(d: Document, tag: K): HTMLElementTagNameMap[K] =>
  get(d, 'createElement')(tag);
