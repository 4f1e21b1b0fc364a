// V8's explicit compile hint (Chrome 136 and later): a script whose first line
// is this comment has all its functions compiled at once, on the thread that
// streams the file in, instead of each one on the main thread when it is first
// called. Every function of utt.js and of a per-account tag runs while the page
// loads. Other engines read a comment. https://v8.dev/blog/explicit-compile-hints
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';
