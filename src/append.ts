// A defence against the page: its other scripts, partners included, may
// replace Array.prototype.push.

/**
 * `list.push(item)` that a script replacing Array.prototype.push cannot break:
 * partners run after utt, and utt's own lists still grow after they load.
 */
export const append = <T>(list: T[], item: T): void => {
  list[list.length] = item;
};
