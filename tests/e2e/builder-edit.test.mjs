// The builder's direct manipulation: a component picked on the drawing is edited in the inspector
// with the widget's own inputs (a refused value is named and changes nothing), moved in its column,
// and "Arrange" uncrosses wires; the inspector card slows a component; the SLO rides in the
// address; a lesson's design challenge is taken in the builder and judged there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage } from './harness.mjs';

const ctx = useSite();
const enc = encodeURIComponent;
const text = (page) => page.inputValue('textarea#design-text');
const node = (page, name) => page.locator('.builder g.node', { has: page.locator('text.name', { hasText: new RegExp(`^${name}$`) }) });
const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));

test('pick a component on the drawing, edit it in the inspector, move it, arrange the drawing', async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 });
  const crossed = 'a: clients rate=50\nb: clients rate=50\nx: service\ny: service\na -> y\nb -> x';
  await page.goto(`${ctx.site.url}#/build?design=${enc(crossed)}&seed=1`);
  await page.waitForSelector('.builder .widget');
  // The drawing's node selects the component for the inspector.
  await node(page, 'y').locator('.shape').click();
  await page.waitForSelector('[data-testid=component-settings][data-component=y]');
  const before = await hash(page);
  await page.fill('#set-workers', '3');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => /^y: service workers=3$/m.test(document.querySelector('textarea#design-text').value));
  // The address follows (compact), and opens the edited design.
  await page.waitForFunction((h) => decodeURIComponent(location.hash) !== h, before);
  const reopened = await newPage(ctx.browser);
  await reopened.goto(page.url());
  await reopened.waitForSelector('.builder .widget');
  assert.match(await text(reopened), /^y: service workers=3$/m);
  await reopened.close();
  assert.equal(await page.locator('[data-testid=component-settings] output').first().textContent(), '3');
  // A value the setting does not take is named; the text and the input keep what runs.
  await page.fill('#set-workers', '0');
  await page.keyboard.press('Tab');
  await page.waitForSelector('[data-testid=design-error]');
  assert.match(await page.locator('[data-testid=design-error]').innerText(), /`workers=0` is not valid: expected a whole number from 1 to 1024/);
  assert.equal(await page.inputValue('#set-workers'), '3');
  assert.match(await text(page), /^y: service workers=3$/m);
  // Arrange: the two wires cross; reordering a column uncrosses them.
  await page.click('button[data-action=arrange]');
  await page.waitForFunction(() => /wire crossings 1 → 0/.test(document.querySelector('[data-testid=builder-status]').textContent));
  const arranged = await text(page);
  assert.deepEqual(arranged.split('\n').filter((l) => l.includes(': ')).map((l) => l.split(':')[0]), ['a', 'b', 'y', 'x']);
  await page.click('button[data-action=arrange]');
  await page.waitForFunction(() => /Already tidy/.test(document.querySelector('[data-testid=builder-status]').textContent));
  // Move y down its column, from the keyboard; it cannot go further.
  await page.selectOption('#selected', 'y');
  await page.focus('button[data-action=move-down]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^x: service\ny: service/m.test(document.querySelector('textarea#design-text').value));
  await page.focus('button[data-action=move-down]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /already at the bottom of its column/.test(document.querySelector('[data-testid=builder-status]').textContent));
  // Undo walks the moves back.
  await page.click('button[data-action=undo]');
  assert.equal(await text(page), arranged);
  // Drag y below x on the drawing: the column is redrawn in the new order.
  const at = async (n) => node(page, n).locator('.shape').boundingBox();
  const [by, bx] = [await at('y'), await at('x')];
  await page.mouse.move(by.x + by.width / 2, by.y + by.height / 2);
  await page.mouse.down();
  await page.mouse.move(by.x + by.width / 2, bx.y + bx.height + 12, { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction(() => /^x: service\ny: service/m.test(document.querySelector('textarea#design-text').value));
  const [ay, ax] = [await at('y'), await at('x')];
  assert.ok(ay.y > ax.y, `y is drawn below x now (${ay.y} > ${ax.y})`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the inspector card slows a component, and the SLO rides in the address', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/build?design=${enc('users: clients rate=80\napi: service workers=1 service_ms=10\nusers -> api')}&seed=2`);
  await page.waitForSelector('.builder .widget');
  await node(page, 'api').locator('.shape').click();
  await page.click('[data-testid=inspector] button[data-action=slow-api]');
  await page.waitForFunction(() => /slowed ×4/.test(document.querySelector('[data-testid=inspect-state]').textContent));
  await page.fill('#slo-p99', '250');
  await page.press('#slo-p99', 'Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('slo=0.99,250'));
  const link = page.url();
  assert.match(await hash(page), /log=/, 'the slowdown is in the address');
  const again = await newPage(ctx.browser);
  await again.goto(link);
  await again.waitForSelector('.builder .widget');
  assert.equal(await again.inputValue('#slo-p99'), '250');
  // A target the link gets wrong is named, and the default is used.
  const bad = await newPage(ctx.browser);
  await bad.goto(`${ctx.site.url}#/build?design=${enc('users: clients\napi: service\nusers -> api')}&slo=high`);
  await bad.waitForSelector('.builder .widget');
  assert.match(await bad.locator('.builder .widget').innerText(), /target `slo=high` was not used: expected availability and p99 in ms, e\.g\. slo=0\.99,300/);
  assert.equal(await bad.inputValue('#slo-p99'), '300');
  for (const p of [page, again, bad]) assert.deepEqual(p.problems, []);
  await Promise.all([page.close(), again.close(), bad.close()]);
});

test("a lesson's design challenge is taken in the builder and judged there", async () => {
  const page = await newPage(ctx.browser, { width: 1280, height: 900 });
  await page.goto(`${ctx.site.url}lessons/retries.html`);
  const section = page.locator('section[data-challenge]', { hasText: 'Change only the retry settings' });
  const href = await section.locator('a[data-action=challenge-in-builder]').getAttribute('href');
  assert.match(href, /^\.\.\/index\.html#\/build\?/);
  await section.locator('a[data-action=challenge-in-builder]').click();
  await page.waitForSelector('[data-testid=builder-challenge]');
  const box = page.locator('[data-testid=builder-challenge]');
  assert.match(await box.innerText(), /Change only the retry settings/);
  assert.match(await box.innerText(), /The db line stays as it is/);
  assert.match(await text(page), /^api: service workers=16 service_ms=2 retry=immediate attempts=3$/m);
  // The start as it is: run it to the end; a goal is missed.
  await page.locator('.builder button[data-action=run-to-end]').click();
  await page.waitForFunction(() => /not met/.test(document.querySelector('[data-testid=builder-challenge]').textContent));
  assert.equal(await box.getAttribute('data-state'), 'open');
  // Touching the database breaks a rule.
  await page.selectOption('#selected', 'db');
  await page.fill('#set-workers', '32');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => /broken/.test(document.querySelector('[data-testid=builder-challenge] ul.rules').textContent));
  // The solution meets every goal on three seeds.
  await box.locator('summary').click();
  await page.click('button[data-action=challenge-solution]');
  await page.waitForFunction(() => document.querySelector('[data-testid=builder-challenge]').dataset.state === 'solved');
  assert.match(await box.innerText(), /Met on all 3 seeds/);
  assert.match(await text(page), /budget=0\.2/);
  assert.equal(await box.locator('a[data-action=back-to-lesson]').getAttribute('href'), 'lessons/retries.html');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a hosted challenge's start keeps its interventions for every design the reader runs", async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}lessons/metastable.html`);
  await page.locator('a[data-action=challenge-in-builder]').first().click();
  await page.waitForSelector('[data-testid=builder-challenge]');
  const offered = async () => {
    await page.locator('.builder button[data-action=run-to-end]').click();
    await page.waitForSelector('.builder button[data-action=play][disabled]');
    return Number(await page.locator('.builder .metric[data-metric=offered] dd').first().textContent());
  };
  // 50 requests a second for 10 s, and the start's spike: three times that for 2 s.
  const first = await offered();
  assert.ok(first > 700 && first < 900, `offered ${first}`);
  // A design of the reader's (a waiting room of 20) runs under the same spike.
  await page.selectOption('#selected', 'api');
  await page.fill('#set-queue', '20');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => /queue=20/.test(document.querySelector('textarea#design-text').value));
  const second = await offered();
  assert.ok(second > 700 && second < 900, `offered ${second}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('wire and delete from the keyboard on the drawing: W on one component, Enter on the other', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/build?design=${enc('users: clients rate=20\napi: service\ndb: database\nusers -> api')}&seed=1`);
  await page.waitForSelector('.builder .widget');
  await node(page, 'api').focus();
  await page.keyboard.press('w');
  await page.waitForFunction(() => /Wiring from api/.test(document.querySelector('[data-testid=builder-status]').textContent));
  await node(page, 'db').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /\napi -> db$/.test(document.querySelector('textarea#design-text').value));
  await page.waitForFunction(() => /Wired api to db/.test(document.querySelector('[data-testid=builder-status]').textContent));
  // Delete on a focused component removes it and its wires.
  await node(page, 'db').focus();
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => !/db/.test(document.querySelector('textarea#design-text').value));
  assert.equal(await text(page), 'users: clients rate=20\napi: service\nusers -> api');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('every resilience lesson has a design challenge that the builder hosts and its solution solves', async () => {
  for (const slug of ['queues', 'retries', 'breakers', 'metastable', 'nines']) {
    const page = await newPage(ctx.browser);
    await page.goto(`${ctx.site.url}lessons/${slug}.html`);
    await page.locator('a[data-action=challenge-in-builder]').first().click();
    await page.waitForSelector('[data-testid=builder-challenge]');
    await page.locator('[data-testid=builder-challenge] summary').click();
    await page.click('button[data-action=challenge-solution]');
    await page.waitForFunction(() => document.querySelector('[data-testid=builder-challenge]').dataset.state === 'solved', null, { timeout: 120000 });
    assert.match(await page.locator('[data-testid=builder-challenge] .challenge-status').innerText(), /^Solved ✓/, slug);
    assert.deepEqual(page.problems, [], slug);
    await page.close();
  }
});

test('a teacher marks a start, fixes it, and writes an exercise link that the builder hosts and judges', async () => {
  const page = await newPage(ctx.browser);
  const start = 'users: clients rate=150 deadline_ms=1000\napi: service workers=1 service_ms=10\nusers -> api\nat 2000: slow api 2';
  await page.goto(`${ctx.site.url}#/build?design=${enc(start)}&seed=1`);
  await page.waitForSelector('.builder .widget');
  await page.locator('[data-testid=exercise] summary').click();
  // Writing before marking a start is refused with a reason.
  await page.click('button[data-action=exercise-write]');
  assert.match(await page.locator('[data-testid=exercise-error]').innerText(), /first mark the design readers start from/);
  await page.click('button[data-action=exercise-start]');
  // The fix: three more replicas of the api.
  await page.selectOption('#selected', 'api');
  await page.fill('#set-replicas', '4');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => /replicas=4/.test(document.querySelector('textarea#design-text').value));
  await page.fill('#exercise-task', 'Keep the target through the slowdown at 2 s.');
  await page.press('#exercise-task', 'Tab');
  await page.click('button[data-action=exercise-write]');
  const url = await page.inputValue('#exercise-link');
  // Open it: the start, the task, the goals; the teacher's design solves it.
  const reader = await newPage(ctx.browser);
  await reader.goto(url);
  await reader.waitForSelector('[data-testid=builder-challenge]');
  assert.equal(await text(reader), start);
  assert.match(await reader.locator('[data-testid=builder-challenge]').innerText(), /Keep the target through the slowdown at 2 s\./);
  assert.match(await reader.locator('[data-testid=builder-challenge]').innerText(), /The timed faults stay as they are/);
  await reader.locator('.builder button[data-action=run-to-end]').click();
  await reader.waitForFunction(() => /not met/.test(document.querySelector('[data-testid=builder-challenge]').textContent));
  await reader.locator('[data-testid=builder-challenge] summary').click();
  await reader.click('button[data-action=challenge-solution]');
  await reader.waitForFunction(() => document.querySelector('[data-testid=builder-challenge]').dataset.state === 'solved');
  for (const p of [page, reader]) assert.deepEqual(p.problems, []);
  await Promise.all([page.close(), reader.close()]);
});

test('a challenge link that cannot be read is named, and the design still opens', async () => {
  const page = await newPage(ctx.browser);
  const design = 'users: clients\napi: service\nusers -> api';
  await page.goto(`${ctx.site.url}#/build?design=${enc(design)}&challenge=${enc('challenge Do it\ngoal <b>x</b> >= 1\nsolution none')}`);
  await page.waitForSelector('.builder .widget');
  assert.match(await page.locator('.builder .widget').innerText(), /The challenge in this link could not be read: line 1/);
  assert.equal(await page.locator('.builder b').count(), 0, 'no markup from the link');
  assert.equal(await page.locator('[data-testid=builder-challenge]').count(), 0);
  const empty = await newPage(ctx.browser);
  await empty.goto(`${ctx.site.url}#/build?challenge=${enc('challenge T\ngoal availability >= 1\nsolution S\nrun end')}`);
  await empty.waitForSelector('[data-testid=builder-notice]');
  assert.match(await empty.locator('[data-testid=builder-notice]').innerText(), /The challenge in this link/);
  for (const p of [page, empty]) assert.deepEqual(p.problems, []);
  await Promise.all([page.close(), empty.close()]);
});
