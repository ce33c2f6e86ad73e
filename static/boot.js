// Loads the app's wasm and mounts the site. An external module (not an inline script) so the site
// runs under a strict Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.
// index.html already shows the lesson list (written at build time); before the wasm arrives,
// an old lesson link (#/lesson/<slug>) goes straight to the lesson's static page, and a widget
// link swaps the list for a loading line.
import init, { mount_site } from './app.js';

const hash = location.hash.replace(/^#\/?/, '');
const lesson = hash.match(/^lesson\/([\w-]+)$/);
const page = lesson && document.querySelector(`ol.lessons a[href="lessons/${lesson[1]}.html"]`);
if (page) {
  location.replace(page.getAttribute('href'));
} else if (hash.startsWith('widget/')) {
  const root = document.getElementById('app');
  const p = document.createElement('p');
  p.className = 'loading';
  p.textContent = 'Loading the sandbox…';
  root?.replaceChildren(p);
}

if (!page) {
  init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) })
    .then(() => mount_site())
    .catch((err) => {
      const root = document.getElementById('app');
      if (root) {
        root.textContent = 'The sandbox could not start in this browser: ' + err;
      }
    });
}
