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
    try {
      const mod = await loadEngine();
      if (!this.isConnected) return;
      const [widget, params, seed, theme, log, t] = ATTRS.map((a) => this.getAttribute(a) ?? undefined);
      this.mountPoint.textContent = '';
      this.handle = mod.mount_widget(this.mountPoint, widget ?? '', params, seed, theme, log, t, BASE.href);
    } catch (err) {
      this.mountPoint.textContent = 'This simulation could not start: ' + err;
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
