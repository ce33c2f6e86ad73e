// Reliability, security and accessibility in a real browser: the site under a strict CSP with no
// violations, no requests beyond its own assets, keyboard focus that shows, a table view of the
// diagram, a dark theme, reduced motion, and touch targets of at least 24 px on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, OUT } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const ctx = useSite({ headers: { 'content-security-policy': CSP } });

/** A page that records CSP violations and every request it makes. */
async function watchedPage(viewport) {
  const page = await newPage(ctx.browser, viewport);
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  return page;
}

test('under a strict CSP the widgets work, nothing is violated and only own assets load', async () => {
  const page = await watchedPage();
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget g.node');
  await page.click('button[data-action=step]');
  await page.selectOption('select[data-action=speed]', { label: 'real time' });
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="delivered"] dd')?.textContent) >= 3);
  await page.click('g.link[data-link="0"]');
  await page.click('button[data-action=share]');
  await page.click('button[data-action=embed]');
  await page.click('a.brand');
  await page.waitForSelector('ol.lessons');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  const foreign = page.requests.filter((u) => !u.startsWith(ctx.site.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'no request leaves the site');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('keyboard focus is visible on every kind of control', async () => {
  const page = await watchedPage();
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget g.node');
  for (const sel of ['button[data-action=play]', 'select[data-action=speed]', 'g.node[data-node="1"]', 'input[data-param=loss]']) {
    await page.focus(sel);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = await page.evaluate((s) => {
      const el = document.querySelector(s);
      const shape = el.querySelector('.shape') ?? el;
      const st = getComputedStyle(el);
      const sh = getComputedStyle(shape);
      return { focused: document.activeElement === el, outline: st.outlineStyle, stroke: sh.stroke, width: sh.strokeWidth };
    }, sel);
    assert.ok(ring.focused, `${sel} takes focus by Tab`);
    assert.ok(ring.outline !== 'none' || ring.width === '4px', `${sel} shows focus: ${JSON.stringify(ring)}`);
  }
  assert.match(await page.getAttribute('button[data-action=play]', 'title'), /Space/);
  assert.match(await page.getAttribute('button[data-action=step]', 'title'), /\(S\)/);
  await page.close();
});

test('the diagram has a text alternative, a table view and polite announcements', async () => {
  const page = await watchedPage();
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=5&seed=1`);
  await page.waitForSelector('.widget g.node');
  assert.match(await page.getAttribute('svg.topology', 'aria-label'), /5 nodes and 5 links/);
  await page.click('g.node[data-node="2"]');
  await page.click('[data-action=inspect-toggle]');
  assert.equal(await page.innerText('[data-testid=announce]'), 'c2 crashed.');
  await page.click('button[data-action=table]');
  const rows = await page.$$eval('.state-tables tbody tr', (trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' ').trim()));
  assert.equal(rows.length, 10, '5 nodes + 5 links');
  assert.ok(rows.some((r) => /^c2 client down/.test(r)), rows.join(' | '));
  await page.click('button[data-action=table]');
  await page.waitForSelector('svg.topology');
  await page.close();
});

test('theme switch gives a readable dark mode and is remembered', async () => {
  const page = await watchedPage();
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget g.node');
  await page.click('button[data-action=theme]'); // auto -> light
  await page.click('button[data-action=theme]'); // light -> dark
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const [bg, fg] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
  assert.equal(bg, 'rgb(17, 20, 24)');
  assert.equal(fg, 'rgb(230, 232, 235)');
  await page.screenshot({ path: `${OUT}welcome-dark.png` });
  await page.reload();
  await page.waitForSelector('.widget');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark', 'remembered across reloads');
  await page.close();
});

test('system dark mode is followed without any choice', async () => {
  const page = await ctx.browser.newPage({ colorScheme: 'dark' });
  await page.goto(`${ctx.site.url}#/`);
  await page.waitForSelector('ol.lessons');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(17, 20, 24)');
  await page.close();
});

test('with reduced motion the widget repaints in steps, not every frame', async () => {
  const page = await ctx.browser.newPage({ reducedMotion: 'reduce' });
  await page.goto(`${ctx.site.url}#/widget/topology?rate=50&seed=4`);
  await page.waitForSelector('.widget g.node');
  await page.selectOption('select[data-action=speed]', { label: 'real time' });
  await page.click('button[data-action=play]');
  const clocks = await page.evaluate(async () => {
    const seen = new Set();
    for (let i = 0; i < 60; i++) {
      seen.add(document.querySelector('.clock').textContent);
      await new Promise((r) => setTimeout(r, 25));
    }
    return seen.size;
  });
  assert.ok(clocks >= 3, `the clock still advances (${clocks} values)`);
  assert.ok(clocks <= 10, `about 4 repaints a second, not 60 (${clocks} distinct values in 1.5 s)`);
  await page.close();
});

test('at 375 px every control is at least 24 px and nothing scrolls sideways', async () => {
  const page = await watchedPage({ width: 375, height: 800 });
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget g.node');
  const small = await page.evaluate(() => {
    const sel = '.widget button, .widget select, .widget input, .widget summary, .widget g.node, header button';
    return [...document.querySelectorAll(sel)]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.height < 24 || r.width < 24))
      .map(({ el, r }) => `${el.tagName}.${el.getAttribute('class') ?? ''}[${el.dataset.action ?? el.dataset.node ?? ''}] ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
  });
  assert.deepEqual(small, []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.locator('.widget').first().screenshot({ path: `${OUT}welcome-375-widget.png` });
  await page.close();
});
