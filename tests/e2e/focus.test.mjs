// Focus: every lesson widget fits one screen at 1280x900 (at most 850 px tall) and stays in view
// beside the prose that drives it; at 375 px its diagram and at least two metrics fit on one
// screen together, its diagram and timeline text is at least ~11 px, and its settings are folded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, OUT, lessonSlugs } from './harness.mjs';

const ctx = useSite();

/** On-screen size in px of the smallest text in `sel` inside widget `w` (SVG text scales with its
 *  drawing, so the font size is multiplied by the drawing's scale). */
function smallestText(w, sel) {
  return w.evaluate((el, sel) => {
    let min = Infinity;
    for (const t of el.querySelectorAll(sel)) {
      const svg = t.closest('svg');
      const vb = svg?.viewBox?.baseVal;
      const scale = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue; // not drawn (folded)
      min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
    return min;
  }, sel);
}

/** Open lesson `slug` and call `fn(widget, i)` for each of its widgets, scrolled into view and mounted. */
async function eachWidget(page, slug, fn) {
  await page.goto(`${ctx.site.url}lessons/${slug}.html`);
  await page.waitForSelector('button[data-try]:not([disabled])');
  const widgets = page.locator('.lesson-widget');
  const n = await widgets.count();
  for (let i = 0; i < n; i++) {
    const w = widgets.nth(i);
    await w.scrollIntoViewIfNeeded();
    await w.locator('.widget').waitFor();
    await fn(w, i);
  }
}

test('at 1280x900 every lesson widget is at most 850 px tall and stays in view beside its steps', async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 }, { folded: true });
  const heights = {};
  const slugs = await lessonSlugs(page, ctx.site.url);
  assert.ok(slugs.length >= 8, `lessons on the home page: ${slugs}`);
  for (const slug of slugs) {
    await eachWidget(page, slug, async (w, i) => {
      const h = await w.locator('.widget').evaluate((e) => e.getBoundingClientRect().height);
      (heights[slug] ||= []).push(Math.round(h));
      assert.ok(h <= 850, `${slug} widget ${i + 1} is ${h} px tall`);
      assert.ok(await smallestText(w, 'svg.topology text') >= 10.5, `${slug} widget ${i + 1}: diagram text too small`);
    });
    // The last step driving the first widget: scrolled to it, the widget is still on screen.
    const scene = page.locator('section.scene').first();
    const step = scene.locator('button[data-try]').last();
    if (await step.count()) {
      await step.scrollIntoViewIfNeeded();
      const box = await scene.locator('.lesson-widget').boundingBox();
      assert.ok(box.y >= -1 && box.y < 100, `${slug}: the widget stays in view beside its last step (top at ${box.y})`);
    }
  }
  console.log(`widget heights at 1280x900: ${JSON.stringify(heights)}`);
  await page.screenshot({ path: `${OUT}focus-1280.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('at 375 px a widget shows its diagram and two metrics on one screen, settings folded', async () => {
  const page = await newPage(ctx.browser, { width: 375, height: 800 }, { folded: true });
  for (const slug of await lessonSlugs(page, ctx.site.url)) {
    await eachWidget(page, slug, async (w, i) => {
      const span = await w.evaluate((el) => {
        const top = el.querySelector('svg.topology').getBoundingClientRect().top;
        const tiles = el.querySelectorAll('dl.metrics.focus .metric');
        return tiles[1].getBoundingClientRect().bottom - top;
      });
      assert.ok(span <= 800 - 20, `${slug} widget ${i + 1}: diagram and two metrics span ${span} px`);
      assert.equal(await w.locator('details.more-settings').evaluate((d) => d.open), false, 'settings folded');
      assert.ok(await smallestText(w, 'svg.topology text') >= 10.5, `${slug} widget ${i + 1}: diagram text too small`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${slug}: the page is ${overflow} px wider than the screen`);
    });
  }
  // The quorum lesson's timeline, unfolded by the reader: its text stays at least 11 px.
  await page.goto(`${ctx.site.url}lessons/quorums.html`);
  const w = page.locator('.lesson-widget').first();
  await w.locator('details.inside > summary').click();
  await w.locator('.repl-timeline svg').waitFor();
  await w.locator('button[data-action=run-to-end]').click();
  await w.locator('.repl-timeline .op text').first().waitFor();
  assert.ok(await smallestText(w, '.repl-timeline text') >= 11, 'timeline text at least 11 px');
  await page.screenshot({ path: `${OUT}focus-375.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});
