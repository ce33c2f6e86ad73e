// embed.js's fallback link, without a browser: when the engine cannot load, the element links to
// the widget's own page; its settings are percent-encoded into that URL's hash and nothing from
// an attribute can change where the link goes. (The fallback itself: embed.test.mjs territory.)
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.HTMLElement ??= class {};
globalThis.customElements ??= { get: () => undefined, define: () => {} };
const { pageUrl } = await import('../../static/embed.js');
const base = new URL('../../static/', import.meta.url).href;

const el = (attrs) => ({ getAttribute: (a) => (a in attrs ? attrs[a] : null) });

test('the fallback link opens the same widget, settings and seed', () => {
  const url = pageUrl(el({ widget: 'topology', params: 'nodes=6  loss=0.1', seed: '3' }));
  assert.equal(url, `${base}#/widget/topology?nodes=6&loss=0.1&seed=3`);
  assert.equal(pageUrl(el({ widget: 'cache' })), `${base}#/widget/cache`);
});

test('hostile attributes stay inside the hash, encoded', () => {
  const url = new URL(pageUrl(el({
    widget: 'javascript:alert(1)//"><img src=x onerror=alert(1)>',
    params: 'a=<b>&c=1 "q"=x',
    seed: '1&embed=0#x',
  })));
  assert.equal(url.href.startsWith(base), true, url.href);
  assert.equal(url.origin + url.pathname, new URL(base).origin + new URL(base).pathname);
  for (const bad of ['<', '>', '"', ' ']) assert.ok(!url.hash.includes(bad), `${bad} in ${url.hash}`);
  assert.equal((url.hash.match(/#/g) ?? []).length, 1, url.hash);
  assert.match(url.hash, /seed=1%26embed%3D0%23x$/);
});
