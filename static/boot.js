// Loads the app's wasm. An external module (not an inline script) so the site runs under a strict
// Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.
import init from './app.js';

init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) }).catch((err) => {
  const root = document.getElementById('app');
  if (root) {
    root.textContent = 'The sandbox could not start in this browser: ' + err;
  }
});
