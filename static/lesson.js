// A static lesson page's script (lessons/<slug>.html): the theme switch at once, then the wasm,
// whose mount_lesson puts a live widget into every placeholder and enables the try-it buttons.
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

init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) })
  .then(() => mount_lesson(new URL('./index.html', import.meta.url).href))
  .catch((err) => {
    for (const p of document.querySelectorAll('.widget-placeholder .loading')) {
      p.textContent = `The live simulation could not start in this browser: ${err}`;
    }
  });
