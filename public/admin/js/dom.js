/*
 * The page's elements. API strings reach the page only through textContent (el), never as HTML.
 */

/**
 * @param {string} id
 * @returns {any}
 */
export function $(id) {
  return document.getElementById(id);
}

/**
 * An element with text content and an optional class: the only way API strings reach the page.
 * @param {string} tag
 * @param {unknown} [text]
 * @param {string} [className]
 * @returns {any}
 */
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** @param {'login' | 'dashboard' | 'forbidden'} view */
export function show(view) {
  $('login').hidden = view !== 'login';
  $('dashboard').hidden = view !== 'dashboard';
  $('forbidden').hidden = view !== 'forbidden';
  $('session').hidden = view === 'login';
}

/** @param {string} text */
export function setStatus(text) {
  $('status').textContent = text;
}

/** @param {string} [message] */
export function setError(message) {
  const box = $('error');
  box.textContent = message || '';
  box.hidden = !message;
}

/**
 * A tile's figure, its raw value (data-value, for tests and tools) and the line under it.
 * @param {string} id
 * @param {string} text
 * @param {number | null} value
 * @param {string} [sub]
 */
export function setTile(id, text, value, sub) {
  const node = $(id);
  node.textContent = text;
  node.dataset.value = value === null || value === undefined ? '' : String(value);
  $(id + '-sub').textContent = sub || '';
}

/** Under each table that is wider than its box, a line saying it scrolls sideways. */
export function updateScrollHints() {
  document.querySelectorAll('.table-wrap').forEach((wrap) => {
    const hint = wrap.parentElement && wrap.parentElement.querySelector('.scroll-hint');
    if (hint) /** @type {any} */ (hint).hidden = !(wrap.scrollWidth > wrap.clientWidth + 1);
  });
}
