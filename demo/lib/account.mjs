/** The demo's one merchant account: its manifest, its per-account tag and its hub records. */
export const ACCOUNT = 'A12345';
