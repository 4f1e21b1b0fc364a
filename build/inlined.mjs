// A per-account tag's inlined partner: the registry entry's runtime view as a
// tuple, whose order is src/compiled.ts's `Inlined` (the runtime reads it by
// position, which costs no bytes). Written by build/account.mjs, read by
// build/account-templates.mjs; this list is the one place that names the order.

/** The fields of an inlined partner, in order: the labels of `Inlined`'s partner tuple. */
export const PARTNER_FIELDS = ['integrity', 'crossorigin', 'needs', 'cats', 'sale', 'tcf', 'setup', 'load'];

/** The tuple for named fields; an absent field is null (load timing is a number, 0 for now). */
export const inlinedPartner = (fields) => PARTNER_FIELDS.map((name) => fields[name] ?? null);

/** One named field of an inlined partner tuple. */
export const partnerField = (partner, name) => partner[PARTNER_FIELDS.indexOf(name)];
