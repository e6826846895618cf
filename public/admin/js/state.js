/*
 * What the page remembers: the admin's token (for this browser tab only), the range shown, and
 * the request in flight, so that a newer load wins over an older one.
 */

const TOKEN_KEY = 'courseCompanion.admin.token';

export const state = {
  /** @type {string | null} */
  token: null,
  /** @type {string | null} */
  start: null,
  /** @type {string | null} */
  end: null,
  /** @type {number | null} the preset in force (days), or null for a range picked by hand */
  preset: 30,
  /** Counts loads: an answer to an older one is dropped. */
  seq: 0,
  /** @type {AbortController | null} */
  abort: null,
  /** @type {{ start: string, end: string } | null} the range whose numbers are on screen */
  shown: null,
};

/** @returns {string | null} */
export function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** @param {string | null} token */
export function writeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token lives for this page only.
  }
}
