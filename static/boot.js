// Loads the app's wasm and mounts the site. An external module (not an inline script) so the site
// runs under a strict Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.
import init, { mount_site } from './app.js';

init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) })
  .then(() => mount_site())
  .catch((err) => {
    const root = document.getElementById('app');
    if (root) {
      root.textContent = 'The sandbox could not start in this browser: ' + err;
    }
  });
