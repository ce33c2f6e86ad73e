// Every judged challenge of every lesson, in a real browser: open at first; its solution
// (the "Apply this solution" button) runs to the end and the section says solved; its start
// ("Start the challenge"), run to the end, is open again with at least one ✗; "Try N seeds"
// lists one result per seed. tests/lessons.rs proves the same natively; this proves the page
// judges the wasm run the same way. Screenshots of one challenge at 1280 and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, OUT } from './harness.mjs';

const ctx = useSite();

async function lessons(page) {
  await page.goto(ctx.site.url);
  await page.waitForSelector('ol.lessons a[href^="lessons/"]');
  const hrefs = await page.locator('ol.lessons a[href^="lessons/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return [...new Set(hrefs.map((h) => h.slice('lessons/'.length, -'.html'.length)))];
}

/** Press a challenge button and wait until its widget says the step was applied. */
async function drive(page, section, action, label) {
  const widget = page.locator(`#${await section.getAttribute('data-widget')} .widget`);
  await section.locator(`button[data-challenge-action=${action}]`).click();
  await widget.locator('[data-testid=announce]').filter({ hasText: `${label}: done.` }).waitFor();
  assert.equal(await widget.locator('.error-line').count(), 0, `${label}: the widget refused it`);
  return widget;
}

test('every challenge: open at first, solved by its solution, open with a ✗ from its start', async () => {
  const page = await newPage(ctx.browser);
  let judged = 0;
  for (const slug of await lessons(page)) {
    await page.goto(`${ctx.site.url}lessons/${slug}.html`);
    await page.waitForSelector('article.lesson .widget');
    const sections = page.locator('section[data-challenge]');
    for (let i = 0; i < await sections.count(); i++) {
      const s = sections.nth(i);
      const here = `${slug} · challenge ${await s.getAttribute('data-challenge')}`;
      await s.locator('button[data-challenge-action=start]:not([disabled])').waitFor();
      assert.equal(await s.getAttribute('data-state'), 'open', `${here}: open at first`);
      assert.ok(await s.locator('ul.goals li').count() > 0, `${here}: has goals`);

      // The solution, from the folded "Show a solution".
      await s.locator('details.solution > summary').click();
      const label = (await s.locator('details.solution > p').first().innerText()).trim();
      await drive(page, s, 'solution', label);
      await page.waitForFunction((el) => el.dataset.state === 'solved', await s.elementHandle(), { timeout: 60_000 });
      assert.match(await s.locator('.challenge-status').innerText(), /^Solved ✓/, `${here}: status`);
      assert.equal(await s.locator('li[data-ok=no]').count(), 0, `${here}: no ✗ once solved`);
      assert.equal(await s.locator('ul.goals li .word').first().innerText(), 'met');

      // The start, run to the end: open, with a ✗ on at least one line.
      const widget = await drive(page, s, 'start', 'Start the challenge');
      await widget.locator('button[data-action=run-to-end]').click();
      await widget.locator('button[data-action=play][disabled]').waitFor({ timeout: 60_000 });
      await page.waitForFunction((el) => el.querySelector('li[data-ok=no]') !== null, await s.elementHandle());
      assert.equal(await s.getAttribute('data-state'), 'open', `${here}: the start does not solve it`);
      assert.match(await s.locator('.challenge-status').innerText(), /^Open ✗/, `${here}: status after the start`);

      // Try N seeds: one line per seed, each a ✓ or a ✗ in words.
      const n = Number((await s.locator('button[data-challenge-action=seeds]').innerText()).match(/\d+/)[0]);
      await s.locator('button[data-challenge-action=seeds]').click();
      await page.waitForFunction(([el, n]) => el.querySelectorAll('ol.seed-results li').length === n, [await s.elementHandle(), n]);
      for (const t of await s.locator('ol.seed-results li').allInnerTexts()) assert.match(t, /^Seed \d+: [✓✗] /);
      judged++;
    }
  }
  assert.ok(judged >= 11, `only ${judged} challenges judged`);
  console.log(`${judged} challenges judged in the browser`);
  // Each solve is remembered in this browser and counted on the home page.
  await page.goto(ctx.site.url);
  const quorums = page.locator('ol.lessons li', { has: page.locator('a[href="lessons/quorums.html"]') });
  await quorums.locator('.progress').filter({ hasText: '2 challenges solved' }).waitFor();
  // Back on a lesson, a solved challenge says so even before it is solved again.
  await page.goto(`${ctx.site.url}lessons/sagas.html`);
  const s = page.locator('section[data-challenge]').first();
  await s.locator('.challenge-status').filter({ hasText: 'You have solved it before.' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('while the run plays, the goals show their values so far and the status says it is undecided', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/welcome.html`);
  const s = page.locator('section[data-challenge]').first();
  await s.locator('button[data-challenge-action=start]:not([disabled])').waitFor();
  const widget = await drive(page, s, 'start', 'Start the challenge');
  await widget.locator('select[data-action=speed]').selectOption({ label: '1/5' });
  await widget.locator('button[data-action=play]').click();
  const goal = s.locator('ul.goals li').first();
  await goal.locator('.now').filter({ hasText: /success ratio/ }).waitFor();
  assert.match(await goal.locator('.word').innerText(), /^(so far|not yet)$/);
  assert.match(await s.locator('.challenge-status').innerText(), /^Open: the run has not ended/);
  assert.equal(await s.getAttribute('data-state'), 'open');
  await widget.locator('button[data-action=play]').evaluate((b) => { if (!b.disabled) b.click(); });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a challenge at 1280 and 375 px: screenshots, nothing scrolls sideways', async () => {
  for (const [width, height] of [[1280, 900], [375, 800]]) {
    const page = await newPage(ctx.browser, { width, height });
    await page.goto(`${ctx.site.url}lessons/cap.html`);
    const s = page.locator('section[data-challenge]').first();
    await s.locator('button[data-challenge-action=start]:not([disabled])').waitFor();
    await s.locator('details.solution > summary').click();
    const label = (await s.locator('details.solution > p').first().innerText()).trim();
    await drive(page, s, 'solution', label);
    await page.waitForFunction((el) => el.dataset.state === 'solved', await s.elementHandle());
    await s.locator('button[data-challenge-action=seeds]').click();
    await s.locator('ol.seed-results li').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `at ${width} px the page is ${overflow} px wider than the screen`);
    await s.screenshot({ path: `${OUT}challenge-cap-${width}.png` });
    // The same lesson with JavaScript off reads the task and the goals.
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  const off = await ctx.browser.newPage({ javaScriptEnabled: false });
  await off.goto(`${ctx.site.url}lessons/cap.html`);
  const s = off.locator('section[data-challenge]').first();
  assert.match(await s.locator('.task').innerText(), /^Challenge\. Keep the partition/);
  assert.ok(await s.locator('ul.goals li').count() >= 2);
  await off.close();
});
