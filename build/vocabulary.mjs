// The events vocabulary: GA4's recommended events and parameters, the data
// layer merchants already emit (`purchase`, `add_to_cart`, ...). A registry
// entry's `events` block maps these names to its vendor's calls; `utt check`
// refuses any other event name or parameter. docs/events.md lists them.
// The runtime carries no copy: it reads only the parameters a mapping names.

/** Each event parameter and its type: a mapping converts to it unless it says `as`. */
export const PARAMS = {
  transaction_id: 'string',
  value: 'number',
  currency: 'string',
  tax: 'number',
  shipping: 'number',
  coupon: 'string',
  payment_type: 'string',
  shipping_tier: 'string',
  item_list_id: 'string',
  item_list_name: 'string',
  method: 'string',
  search_term: 'string',
  content_type: 'string',
  lead_source: 'string',
  page_location: 'string',
  page_title: 'string',
  page_referrer: 'string',
  items: 'items',
};

/** Each parameter of one item of `items`. */
export const ITEM_PARAMS = {
  item_id: 'string',
  item_name: 'string',
  affiliation: 'string',
  coupon: 'string',
  discount: 'number',
  index: 'number',
  item_brand: 'string',
  item_category: 'string',
  item_category2: 'string',
  item_category3: 'string',
  item_list_id: 'string',
  item_list_name: 'string',
  item_variant: 'string',
  location_id: 'string',
  price: 'number',
  quantity: 'number',
};

/** GA4's recommended events utt knows (online sales, lead generation, every property). */
export const EVENTS = [
  'page_view',
  'view_item',
  'view_item_list',
  'select_item',
  'search',
  'add_to_wishlist',
  'add_to_cart',
  'remove_from_cart',
  'view_cart',
  'begin_checkout',
  'add_shipping_info',
  'add_payment_info',
  'purchase',
  'refund',
  'generate_lead',
  'sign_up',
  'login',
];
