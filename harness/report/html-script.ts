// The report pages' only script: result, tag and status filters, a search box, one button
// that expands the failures (or every row) and collapses again, and showing or hiding each transcript layer (HID, APDU, HTTP). Without JavaScript the page shows everything and the
// <details> elements still open and close; the filter bar is then hidden (it needs the script).
//
// Markup contract: a `[data-filters]` bar holds `[data-key=K]` groups of `button[data-value]`
// chips; `[data-item]` elements carry `data-K` (space-separated values) and `data-search`;
// `[data-group]` sections hide when none of their items shows.
export const FILTER_SCRIPT = `
(() => {
  document.documentElement.classList.add('js');
  const bar = document.querySelector('[data-filters]');
  if (!bar) return;
  const items = Array.from(document.querySelectorAll('[data-item]'));
  const groups = Array.from(document.querySelectorAll('[data-group]'));
  const search = bar.querySelector('[data-search]');
  const count = bar.querySelector('[data-count]');
  const empty = document.querySelector('[data-empty]');

  function chosen() {
    const byKey = new Map();
    for (const chip of bar.querySelectorAll('button[data-value][aria-pressed="true"]')) {
      const key = chip.closest('[data-key]').dataset.key;
      if (!byKey.has(key)) byKey.set(key, new Set());
      byKey.get(key).add(chip.dataset.value);
    }
    return byKey;
  }

  function apply() {
    const filters = chosen();
    const text = search ? search.value.trim().toLowerCase() : '';
    let shown = 0;
    for (const item of items) {
      let visible = !text || (item.dataset.search || '').includes(text);
      for (const [key, values] of filters) {
        const own = (item.dataset[key] || '').split(' ');
        if (!own.some((value) => values.has(value))) visible = false;
      }
      item.hidden = !visible;
      if (visible) shown++;
    }
    for (const group of groups) group.hidden = !group.querySelector('[data-item]:not([hidden])');
    if (count) count.textContent = shown === items.length ? 'showing all ' + items.length : 'showing ' + shown + ' of ' + items.length;
    if (empty) empty.hidden = shown > 0;
  }

  bar.addEventListener('click', (event) => {
    const target = event.target.closest('button');
    if (!target) return;
    if (target.dataset.value !== undefined) {
      target.setAttribute('aria-pressed', target.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
    } else if (target.hasAttribute('data-reset')) {
      for (const chip of bar.querySelectorAll('button[data-value][aria-pressed="true"]')) chip.setAttribute('aria-pressed', 'false');
      if (search) search.value = '';
    } else if (target.hasAttribute('data-expand')) {
      const expanding = target.getAttribute('aria-expanded') !== 'true';
      const shown = items.filter((item) => !item.hidden);
      const attention = shown.filter((item) => item.matches('.attention'));
      for (const item of expanding ? (attention.length > 0 ? attention : shown) : items) item.open = expanding;
      target.setAttribute('aria-expanded', String(expanding));
      target.textContent = expanding ? 'Collapse all' : target.dataset.expandLabel;
    } else if (target.dataset.showKind) {
      const show = target.getAttribute('aria-pressed') !== 'true';
      target.setAttribute('aria-pressed', String(show));
      document.body.classList.toggle('hide-' + target.dataset.showKind, !show);
    }
    apply();
  });
  if (search) search.addEventListener('input', apply);
  apply();
})();
`;
