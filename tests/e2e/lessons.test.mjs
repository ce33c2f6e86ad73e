// Every lesson followed literally, as a learner would, in a real browser: press every try-it step
// in the order the prose gives, let it run where it says, and check the claims the lesson makes
// about that run against the metrics the widget shows. tests/lessons.rs checks the same claims
// natively; this proves the browser (wasm) run and the page agree with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, OUT, lessonSlugs } from './harness.mjs';

const ctx = useSite();

/** Evaluate one condition (`metric op value`, as in src/content/cond.rs) against shown metrics. */
function holds(cond, shown) {
  const m = cond.match(/^([\w.]+)\s*(<=|>=|=|<|>|~)\s*(\S+)(?:\s*±\s*(\S+))?$/);
  if (!m) return `cannot read condition ${cond}`;
  const [, name, op, raw, tol] = m;
  let have = shown[name];
  const item = name.match(/^(.*)\.(\d+)$/);
  if (have === undefined && item && shown[item[1]] !== undefined) {
    const items = shown[item[1]].split('·').map((p) => p.trim().split(/\s+/).pop());
    have = items[Number(item[2]) - 1];
  }
  if (have === undefined) return `no metric ${name} on the widget`;
  const want = Number(raw.replaceAll(',', ''));
  if (Number.isNaN(want)) return have === raw || `${name} shows ${have}, not ${raw}`;
  const x = Number(have);
  const decimals = (raw.split('.')[1] || '').length;
  const ok = {
    '=': () => (decimals === 0 ? Math.abs(x - want) < 1e-9 : Math.round(x * 10 ** decimals) === Math.round(want * 10 ** decimals)),
    '<': () => x < want, '<=': () => x <= want, '>': () => x > want, '>=': () => x >= want,
    '~': () => Math.abs(x - want) <= (tol === undefined ? Math.abs(want) * 0.1 : Number(tol)) + 1e-9,
  }[op]();
  return ok || `${name} shows ${have}`;
}

const lessons = (page) => lessonSlugs(page, ctx.site.url);

test('every lesson, followed step by step in the browser, gives the numbers its prose states', async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 }, { folded: true });
  const slugs = await lessons(page);
  assert.ok(slugs.length >= 8, `lessons on the home page: ${slugs}`);
  let checked = 0;
  let predicted = 0;
  const wrong = [];
  for (const slug of slugs) {
    await page.goto(`${ctx.site.url}lessons/${slug}.html`);
    await page.waitForSelector('article.lesson .widget');
    assert.equal(await page.locator('.error-box').count(), 0, `${slug}: no error boxes`);
    const steps = page.locator('button[data-try]');
    const n = await steps.count();
    assert.ok(n > 0, `${slug} has try-it steps`);
    for (let i = 0; i < n; i++) {
      const button = steps.nth(i);
      const label = (await button.innerText()).replace('▶', '').trim();
      const widget = page.locator(`#${await button.getAttribute('aria-controls')} .widget`);
      // Commit to an answer for every prediction this step decides (the first one: a learner's guess).
      const predictions = page.locator(`fieldset[data-decided-by="${await button.getAttribute('data-try')}"]`);
      for (let p = 0; p < await predictions.count(); p++) {
        await predictions.nth(p).locator('input[type=radio]').first().check();
      }
      await button.click();
      await widget.locator('[data-testid=announce]').filter({ hasText: `${label}: done.` }).waitFor();
      assert.equal(await widget.locator('.error-line').count(), 0, `${slug} · ${label}: the step was refused`);
      const playing = (await widget.locator('button[data-action=play]').getAttribute('aria-pressed')) === 'true';
      if (playing) {
        // A `play` step: its claims are about the run once it ends.
        await widget.locator('select[data-action=speed]').selectOption({ label: '100×' });
        await widget.locator('button[data-action=play][disabled]').waitFor({ timeout: 120_000 });
      }
      for (let p = 0; p < await predictions.count(); p++) {
        const fs = predictions.nth(p);
        await fs.locator('.outcome:not(:empty)').waitFor();
        const outcome = await fs.getAttribute('data-outcome');
        assert.ok(outcome === 'right' || outcome === 'wrong', `${slug} · ${label}: prediction outcome ${outcome}`);
        assert.match(await fs.locator('.outcome').innerText(), /You said “/);
        const id = await fs.getAttribute('data-predict');
        assert.equal(await page.locator(`details.explain[data-explains="${id}"]`).evaluate((d) => d.open), true,
          `${slug} · ${label}: the explanation opens once the run has decided`);
        predicted++;
      }
      const shown = Object.fromEntries(await widget.locator('.metric').evaluateAll((ms) =>
        ms.map((m) => [m.dataset.metric, m.querySelector('dd').textContent.trim()])));
      for (const cond of (await button.getAttribute('data-expect')).split('; ').filter(Boolean)) {
        checked++;
        const r = holds(cond, shown);
        if (r !== true) wrong.push(`${slug} · ${label}: ${cond}: ${r}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 150, `only ${checked} claims checked`);
  console.log(`${checked} claims and ${predicted} predictions checked in the browser`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('every lesson at 1280 and 375 px: screenshots, nothing scrolls sideways', async () => {
  for (const [width, height] of [[1280, 900], [375, 800]]) {
    const page = await newPage(ctx.browser, { width, height }, { folded: true });
    for (const slug of await lessons(page)) {
      await page.goto(`${ctx.site.url}lessons/${slug}.html`);
      await page.waitForSelector('article.lesson .widget');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${slug} at ${width} px is ${overflow} px wider than the screen`);
      await page.locator('button[data-try]').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${OUT}lesson-${slug}-${width}.png` });
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});
