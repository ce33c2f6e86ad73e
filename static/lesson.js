// A static lesson page's script (lessons/<slug>.html): the theme switch at once, then the wasm,
// whose mount_lesson puts a live widget into every placeholder and enables the try-it buttons.
// It also keeps the reader's place for Back (below).
// An external module, so the page runs under a strict CSP (script-src 'self' 'wasm-unsafe-eval').
import init, { mount_lesson } from './app.js';

const KEY = 'sandbox-theme';
const NEXT = { auto: 'light', light: 'dark', dark: 'auto' };
const button = document.querySelector('button.theme-switch');

function stored() {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' ? t : 'auto';
  } catch {
    return 'auto';
  }
}

function apply(theme) {
  if (theme === 'auto') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
  if (button) button.textContent = `Theme: ${theme}`;
}

let theme = stored();
apply(theme);
button?.addEventListener('click', () => {
  theme = NEXT[theme];
  try { localStorage.setItem(KEY, theme); } catch { /* private mode: not remembered */ }
  apply(theme);
});

// Your place is kept: when the reader leaves, the scroll position is saved for this tab (each
// widget saves its own run); coming Back (or reloading), the widgets reopen their runs and the
// page returns to where the reader was once they are drawn.
const PLACE = `sandbox-scroll:${location.pathname}`;
const nav = performance.getEntriesByType('navigation')[0];
const back = nav?.type === 'back_forward' || nav?.type === 'reload';
addEventListener('pagehide', () => {
  try { sessionStorage.setItem(PLACE, String(Math.round(scrollY))); } catch { /* no storage */ }
});

function restoreScroll() {
  let y = NaN;
  try { y = Number(sessionStorage.getItem(PLACE)); } catch { /* no storage */ }
  if (!(y > 0)) return;
  // Two frames: the widgets' first render has been laid out by then.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    scrollTo(0, y);
    document.documentElement.dataset.placeRestored = String(y);
  }));
}

init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) })
  .then(() => {
    mount_lesson(new URL('./index.html', import.meta.url).href, back);
    if (back) restoreScroll();
  })
  .catch((err) => {
    for (const p of document.querySelectorAll('.widget-placeholder .loading')) {
      p.textContent = `The live simulation could not start in this browser: ${err}`;
    }
  });
