// A partner's script template as a URL, each placeholder standing for a value:
// where its origin and host are. One implementation for the registry checks,
// `utt partner new`, the demo and the tests.

/** @param {string} script a registry `script` template @returns {URL} (throws if it is no URL) */
export const templateURL = (script) => new URL(script.replace(/\{[^{}]*\}/g, 'x'));
