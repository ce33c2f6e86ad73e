// The built site, as a reader uses it: under a sub-path on a plain static server, every route
// opened directly and after a reload, the welcome lesson's widget driven by clicks and keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, text, metric, events, OUT, pause } from './harness.mjs';

const ctx = useSite();

test('home page lists the lessons in order', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(ctx.site.url);
  await page.waitForSelector('ol.lessons li');
  const first = await text(page, 'ol.lessons li a');
  assert.match(first, /Welcome/);
  await page.screenshot({ path: `${OUT}home.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('welcome lesson: step, play, cut a link, crash a node', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget svg.topology g.node');
  assert.match(await text(page, 'article.lesson h1'), /Welcome/);
  assert.equal(await page.locator('.error-box').count(), 0, 'no directive errors');
  assert.equal(await events(page), 0);

  await page.click('button[data-action=step]');
  await page.waitForFunction(() => document.querySelector('[data-testid=events]').textContent.startsWith('1 '));

  await page.selectOption('select[data-action=speed]', { label: 'real time' });
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('.metric[data-metric="delivered"] dd')?.textContent) >= 5);
  // Messages in flight are counted in the diagram's text alternative and painted on the canvas.
  await page.waitForFunction(() => /[1-9]\d* messages in flight/.test(document.querySelector('svg.topology').getAttribute('aria-label')));
  // Wait (on state, not time) until a frame has painted enough messages to judge their colour.
  const counts = await page.waitForFunction(() => {
    const c = document.querySelector('canvas.particles');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    let hue = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 200) continue;
      n++;
      if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) hue++;
    }
    return n > 50 ? [n, hue] : false;
  });
  const [painted, colored] = await counts.jsonValue();
  assert.ok(painted > 50, `messages are drawn on the canvas (${painted} painted pixels)`);
  // In the theme's colours (blue requests, green replies), not the canvas default black: the
  // theme's light-dark() values must be resolved before a canvas can use them.
  assert.ok(colored > painted * 0.8, `${colored} of ${painted} painted pixels are coloured`);

  await page.click('g.link[data-link="0"]');
  await page.waitForSelector('g.link.cut[data-link="0"]');
  assert.match(await page.locator('svg.topology').getAttribute('aria-label'), /1 links cut/);

  await page.click('g.node[data-node="0"]'); // crash the server
  await page.click('[data-action=inspect-toggle]');
  await page.waitForSelector('g.node.down[data-node="0"]');
  const dropped = await metric(page, 'dropped');
  await page.waitForFunction((d) => Number(document.querySelector('.metric[data-metric="dropped"] dd')?.textContent) > d, dropped);
  await page.screenshot({ path: `${OUT}welcome.png`, fullPage: true });

  await pause(page.locator('.widget').first());
  const paused = await events(page);
  await page.waitForTimeout(300);
  assert.equal(await events(page), paused, 'paused widgets do not advance');

  // The event log is drawn only while open; opening it shows the latest events at once.
  const log = page.locator('.widget details.trace').first();
  assert.equal(await log.locator('li').count(), 0, 'closed log draws nothing');
  await log.locator('summary').click();
  await log.locator('li').first().waitFor();
  assert.ok((await log.locator('li').count()) >= 5, 'open log lists the latest events');
  assert.match(await log.locator('li').last().innerText(), /\d/);
  await log.locator('summary').click();
  await page.waitForFunction(() => document.querySelectorAll('.widget details.trace')[0].querySelectorAll('li').length === 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('keyboard: shortcuts and Enter on a link', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget');
  await page.focus('.widget');
  await page.keyboard.press('s');
  await page.keyboard.press('s');
  assert.equal(await events(page), 2);
  await page.keyboard.press('r');
  assert.equal(await events(page), 0);
  await page.focus('g.link[data-link="1"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('g.link.cut[data-link="1"]');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('standalone widget page takes its parameters from the URL', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=7&shape=star&seed=3`);
  await page.waitForSelector('.widget g.node');
  assert.equal(await page.locator('g.node').count(), 7);
  assert.equal(await page.locator('g.link').count(), 6);
  assert.equal(await page.locator('header.site').count(), 1);
  await page.screenshot({ path: `${OUT}widget.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a bad URL parameter opens the defaults with a notice naming the problem', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=99&seed=3`);
  await page.waitForSelector('.widget .notice');
  assert.match(await text(page, '.notice'), /nodes=99.*whole number from 2 to 50/);
  assert.equal(await page.locator('g.node').count(), 5);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('unknown routes show a helpful not-found page', async () => {
  const page = await newPage(ctx.browser);
  for (const hash of ['#/nowhere', '#/lesson/nope', '#/widget/teleport']) {
    await page.goto(`${ctx.site.url}${hash}`);
    await page.waitForSelector('.not-found');
    assert.match(await text(page, '.not-found h1'), /not found/i);
    assert.equal(await page.locator('.not-found a[href="#/"]').count(), 1);
  }
  await page.screenshot({ path: `${OUT}not-found.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('every route survives a reload and the back button', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget');
  await page.reload();
  await page.waitForSelector('.widget');
  await page.click('header.site a.brand');
  await page.waitForSelector('ol.lessons');
  await page.goBack();
  await page.waitForSelector('article.lesson');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('phone width: nothing scrolls sideways', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 });
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  await page.waitForSelector('.widget g.node');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: `${OUT}welcome-375.png`, fullPage: true });
  await page.close();
});
