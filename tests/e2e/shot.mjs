// Screenshot helper for looking at a page by hand (not a test):
//   node tests/e2e/shot.mjs '#/widget/saga?seed=3' out.png [width] [height] [play-ms]
// With play-ms > 0 it plays the first widget at 10x for that long before the screenshot.
import { serve, launch, newPage } from './harness.mjs';

const [,, hash, out, width = '1280', height = '900', playMs = '0'] = process.argv;
const site = await serve();
const browser = await launch();
const page = await newPage(browser, { width: Number(width), height: Number(height) });
await page.goto(`${site.url}${hash}`);
await page.waitForSelector('main');
await page.waitForTimeout(500);
if (Number(playMs) > 0) {
  const w = page.locator('.widget').first();
  await w.locator('select[data-action=speed]').selectOption({ label: '10×' });
  await w.locator('button[data-action=play]').click();
  await page.waitForTimeout(Number(playMs));
  const play = w.locator('button[data-action=play]');
  if (await play.isEnabled()) await play.click(); // pause, unless the run already finished
}
const wide = await page.evaluate(() => {
  const W = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > W + 1)
    .slice(0, 6).map((e) => `${e.tagName}.${e.className?.baseVal ?? e.className}`);
});
console.log(`overflowing: ${wide.join(' | ') || 'nothing'}; problems: ${JSON.stringify(page.problems)}`);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
await site.close();
