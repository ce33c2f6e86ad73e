// Systems Sandbox embeds: turns every <systems-sandbox widget="..." params="..." seed="...">
// element on any page into a live widget.
//
//   <script type="module" src="https://your.site/sandbox/embed.js"></script>
//   <systems-sandbox widget="topology" params="nodes=6 loss=0.1" seed="3"></systems-sandbox>
//
// - One wasm instance serves every widget on the page, loaded only when the first widget comes
//   near the viewport.
// - Each widget lives in its own shadow root: the host page's styles do not reach in, ours do not
//   leak out, and the widget touches nothing outside its element.
// - Attributes are untrusted text: the wasm side checks them and shows problems inside that widget.
// - Widgets pause their animation while off-screen (the frame itself watches its visibility).
// - If the engine cannot load (most often: the site serving it sends no CORS headers), the
//   element says so in a sentence and links to the widget's own page on that site. Attributes
//   only ever go into that link's URL (encoded), never into markup.
const BASE = new URL('./', import.meta.url);
let engine = null;

function loadEngine() {
  if (!engine) {
    engine = import(new URL('app.js', BASE).href).then(async (mod) => {
      await mod.default({ module_or_path: new URL('app_bg.wasm', BASE) });
      return mod;
    });
  }
  return engine;
}

const ATTRS = ['widget', 'params', 'seed', 'theme', 'log', 't'];

// The widget's own page on the site that serves this script, with the element's settings
// percent-encoded into the hash route (`#/widget/<kind>?key=value&seed=N`).
function pageUrl(el) {
  const q = [];
  for (const pair of (el.getAttribute('params') ?? '').split(/\s+/)) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    const [k, v] = i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
    q.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  for (const a of ['seed', 'log', 't']) {
    const v = el.getAttribute(a);
    if (v !== null) q.push(`${a}=${encodeURIComponent(v)}`);
  }
  const url = new URL(BASE.href);
  url.hash = `#/widget/${encodeURIComponent(el.getAttribute('widget') ?? '')}${q.length ? `?${q.join('&')}` : ''}`;
  return url.href;
}

// Replace the loading text with a sentence and, on an http(s) site, a link to the widget's page.
function showFallback(el, mount, err) {
  console.error('systems-sandbox: the simulation could not load', err);
  const p = document.createElement('p');
  p.className = 'embed-fallback';
  p.setAttribute('role', 'status');
  p.textContent = 'This simulation could not load here (the site that hosts it may not allow embedding on other sites). ';
  if (BASE.protocol === 'https:' || BASE.protocol === 'http:') {
    const a = document.createElement('a');
    a.href = pageUrl(el);
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = 'Open it on its own page';
    p.append(a, '.');
  }
  mount.replaceChildren(p);
}

class SystemsSandbox extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = new URL('style.css', BASE).href;
    const mount = document.createElement('div');
    mount.textContent = 'Loading the simulation…';
    root.append(css, mount);
    this.mountPoint = mount;
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.observer.disconnect();
        this.start();
      }
    }, { rootMargin: '300px' });
    this.observer.observe(this);
  }

  async start() {
    let mod;
    try {
      mod = await loadEngine();
    } catch (err) {
      if (this.isConnected) showFallback(this, this.mountPoint, err);
      return;
    }
    if (!this.isConnected) return;
    try {
      const [widget, params, seed, theme, log, t] = ATTRS.map((a) => this.getAttribute(a) ?? undefined);
      this.mountPoint.textContent = '';
      this.handle = mod.mount_widget(this.mountPoint, widget ?? '', params, seed, theme, log, t, BASE.href);
    } catch (err) {
      showFallback(this, this.mountPoint, err);
    }
  }

  disconnectedCallback() {
    this.observer?.disconnect();
    this.handle?.destroy();
    this.handle = undefined;
  }
}

if (!customElements.get('systems-sandbox')) {
  customElements.define('systems-sandbox', SystemsSandbox);
}

// For tests (a module's exports are invisible to the page that loads it).
export { pageUrl };
