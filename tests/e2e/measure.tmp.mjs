import { serve, launch } from './harness.mjs';
const site = await serve();
const browser = await launch();
const slugs = ['welcome','cap','quorums','replication','sharding','caching','load-balancing','sagas'];
for (const [width, height] of [[1280, 900], [375, 800]]) {
  const page = await browser.newPage({ viewport: { width, height } });
  const by = {};
  for (const slug of slugs) {
    await page.goto(`${site.url}lessons/${slug}.html`);
    await page.waitForSelector('article.lesson .widget');
    const n = await page.locator('.lesson-widget').count();
    for (let i = 0; i < n; i++) {
      const w = page.locator('.lesson-widget').nth(i);
      await w.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const [kind, h] = await w.evaluate((e) => [e.dataset.kind, e.querySelector('.widget')?.getBoundingClientRect().height]);
      (by[kind] ||= []).push(Math.round(h));
    }
  }
  console.log(width, JSON.stringify(by));
  await page.close();
}
await browser.close(); await site.close();
