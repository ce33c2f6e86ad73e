// Inspect by clicking: a node opens a card with its state and the button that crashes or restarts
// it; a message in flight, clicked where it is drawn, opens its kind and ends. The table view
// lists the messages in flight as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, newPage, pause, waitEvents } from './harness.mjs';

const ctx = useSite();

test('click a node to inspect it, crash and restart it from the card', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=5&seed=1`);
  await page.click('g.node[data-node="2"]');
  const card = page.locator('[data-testid=inspector]');
  await card.waitFor();
  assert.match(await card.locator('h4').innerText(), /^c2 · client$/);
  assert.match(await card.locator('[data-testid=inspect-state]').innerText(), /^up/);
  await card.locator('[data-action=inspect-toggle]').click();
  await page.waitForSelector('g.node.down[data-node="2"]');
  await page.waitForFunction(() => /^down/.test(document.querySelector('[data-testid=inspect-state]').textContent));
  assert.equal(await card.locator('[data-action=inspect-toggle]').innerText(), 'Restart c2');
  await card.locator('[data-action=inspect-toggle]').click();
  await page.waitForSelector('g.node.up[data-node="2"]');
  await card.locator('[data-action=inspect-close]').click();
  assert.equal(await card.count(), 0);
  // The keyboard reaches the same card.
  await page.focus('g.node[data-node="1"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^c1 ·/.test(document.querySelector('[data-testid=inspector] h4')?.textContent ?? ''));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('click a message in flight to inspect it', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.site.url}#/widget/topology?nodes=5&rate=25&seed=1`);
  const w = page.locator('.widget').first();
  await w.locator('button[data-action=play]').click();
  await waitEvents(page, 0, 40);
  await pause(w);
  // Find a message well away from both ends and from every other message (step on, event by
  // event, until there is one): its place comes from the table view's list of messages and the
  // nodes' places in the drawing.
  let row = null;
  let at = null;
  for (let i = 0; i < 200 && !row; i++) {
    await w.locator('button[data-action=table]').click();
    const rows = await page.evaluate(() => [...document.querySelectorAll('table.flights tbody tr')].map((tr) => {
      const td = tr.querySelectorAll('td');
      return { id: tr.dataset.flight, kind: td[0].textContent, from: td[1].textContent, to: td[2].textContent,
        p: Number(tr.querySelector('[data-progress]').dataset.progress) };
    }));
    await w.locator('button[data-action=table]').click();
    await page.waitForSelector('svg.topology');
    const placed = await page.evaluate((rows) => {
      const centre = (name) => {
        const g = [...document.querySelectorAll('g.node')].find((n) => n.getAttribute('aria-label').startsWith(`${name} (`));
        const r = g.querySelector('.shape').getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];
      };
      return rows.map((m) => {
        const [a, b] = [centre(m.from), centre(m.to)];
        return { ...m, x: a[0] + (b[0] - a[0]) * m.p, y: a[1] + (b[1] - a[1]) * m.p };
      });
    }, rows);
    const alone = placed.find((m) => m.p > 0.3 && m.p < 0.7
      && placed.every((o) => o === m || Math.hypot(o.x - m.x, o.y - m.y) > 30));
    if (alone) {
      row = alone;
      at = [alone.x, alone.y];
    } else {
      await w.locator('button[data-action=step]').click();
    }
  }
  assert.ok(row, 'a message half way across a link, away from the others');
  await page.mouse.click(at[0], at[1]);
  const card = page.locator('[data-testid=inspector]');
  await card.waitFor();
  assert.equal(await card.locator('h4').innerText(), `Message #${row.id} · ${row.kind}`);
  assert.match(await card.locator('[data-testid=inspect-state]').innerText(), new RegExp(`^${row.from} → ${row.to}, \\d+% of the way`));
  assert.deepEqual(page.problems, []);
  await page.close();
});
