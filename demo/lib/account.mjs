/** The demo's one merchant account: its manifest, its per-account tag and its hub records. */
export const ACCOUNT = 'A12345';
/** Where the hub's mails to the merchant go (kept in the outbox, as every mail of the demo). */
export const MERCHANT = `Merchant ${ACCOUNT} <merchant@shop.utt-demo.localhost>`;
