/**
 * The declaration page in a real browser: an officer sees everything the declaration holds, each
 * amount with its currency and each day in the one format; the risk assessment as a probability
 * with what it means, and the model's factors by readable names with the declaration's value and
 * the reference; a supervisor reroutes it in the page and the reason takes the place of the rules;
 * control notes are in the history for officials; a long unbroken word never widens the page; a
 * trader's page asks for nothing the trader may not read. Screenshots go to test-output/.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { importDeclarations } from '../declarations/importer.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import type { Labelled } from '../risk/features.ts';
import { activateModel, registerModel } from '../risk/registry.ts';
import { trainRiskModel } from '../risk/risk-model.ts';
import { controlledDeclarations } from '../risk/training-data.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, anItem, storageTargets } from '../testing/harness.ts';

const longWord = 'X'.repeat(300);
const longSeller = 'S'.repeat(70);

interface Factor {
  feature: string;
  contribution: number;
  value?: number | null;
  subject?: string[] | null;
  reference?: { kind: string; declarations?: number; irregular?: number; median?: number } | null;
}

/** The page is no wider than the window: nothing scrolls sideways. */
async function assertNoSidewaysScroll(page: Page): Promise<void> {
  // a chart follows its box on the next frame after the window changed; polled from here, as a
  // predicate polled inside the page would be evaluated again as a string, which the page's CSP refuses
  for (let waited = 0; waited < 2000; waited += 50) {
    if (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const [scroll, inner] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as [number, number];
  const wide = await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 8)
    .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`);
  assert.ok(
    scroll <= inner,
    `the page is ${scroll} px wide in a ${inner} px window: ${JSON.stringify(wide)}`,
  );
}

for (const target of storageTargets()) {
  describe(`the declaration page in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;
    let hs6: string;
    let origin: string;
    let hsDescription: string;
    let training: Labelled[];

    before(async () => {
      // a history to learn from: demo declarations, their price reference, a model trained on their controls
      const csv = new PassThrough();
      const written = writeDemoCsv({ count: 1500, seed: 5, from: '2026-01-01', to: '2026-02-28' }, csv).then(
        () => csv.end(),
      );
      await importDeclarations(suite.ctx.db, suite.ctx.validation(), csv, {
        format: 'clearway',
        actor: 'test',
      });
      await written;
      await suite.ctx.refreshPrices();
      training = await controlledDeclarations(suite.ctx.db);
      const model = trainRiskModel(training, [], {
        trees: 40,
        learningRate: 0.2,
        maxLeaves: 15,
      });
      const registered = await registerModel(suite.ctx.db, model, { createdBy: 'test', source: 'database' });
      await activateModel(suite.ctx.db, registered.id, 'test');
      suite.ctx.risk.invalidate();
      // the best-observed HS6 and origin in USD, so that the unit value has a reference
      const [top] = await suite.ctx.db.query<{ hs6: string; origin: string }>(
        `SELECT hs6, origin FROM price_reference WHERE currency = 'USD' AND origin <> '' ORDER BY n DESC, hs6 LIMIT 1`,
      );
      assert.ok(top, 'the price reference has statistics');
      ({ hs6, origin } = top);
      const described = await suite.server.request('GET', `/api/reference/hs/${hs6}?date=2026-03-02`, {
        token: suite.tokens.officer,
      });
      assert.equal(described.status, 200);
      hsDescription = String(described.body.description);
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({
          functionalReference: 'WEB-DECL-PAGE',
          seller: longSeller,
          buyer: 'BUYER-9',
          courier: 'COURIER-7',
          additionalProcedure: 'C07',
          paymentMethod: 'H',
          processingMode: 'A',
          originCountry: origin,
          exporter: 'EXPORTER-GT-1',
          destinationCountry: 'KR',
          incoterm: 'FOB',
          ucr: '6GT1234567-WEB',
          transportDocument: 'MAEU123456789',
          invoiceTotal: 1260.75,
          items: [
            anItem({
              hsCode: `${hs6}00`,
              description: 'glass tumblers, boxed',
              originCountry: origin,
              netMass: 2551.5,
              grossMass: 2700,
              supplementaryQuantity: 1200,
              supplementaryUnit: 'NAR',
              value: 1250.75,
              dutyTaxType: 'A00',
              dutyRate: 8,
              packageType: 'CT',
              packageCount: 40,
            }),
            anItem({ sequence: 2, description: longWord, value: 10, netMass: 1, grossMass: 1.5 }),
          ],
        }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      id = Number(lodged.body.id);
    });

    const signIn = (username: string) => suite.at(username, `/declarations/${id}`);
    const section = (page: Page, name: string | RegExp) =>
      page.locator('section', { has: page.getByRole('heading', { name, exact: typeof name === 'string' }) });
    const factsOf = async (page: Page) =>
      (await page.locator('.fact-groups').innerText()).replace(/\s*\n\s*/g, ' | ');

    test('an officer sees every field of the declaration, amounts with their currency and days in one format', async () => {
      const page = await signIn('officer');
      await page.getByRole('heading', { name: /· WEB-DECL-PAGE/ }).waitFor();
      // the office's name and the HS descriptions come from the code lists, a moment after the rest
      await page.getByText(/^030 \(.+\)$/).waitFor();
      await page.locator('.hs-description').first().waitFor();
      const facts = await factsOf(page);
      const expected = [
        'Type | IM (import)',
        'Reference | WEB-DECL-PAGE',
        'Date | 2 Mar 2026',
        'Invoice total | 1,260.75 USD',
        'Trader | TRADER-A',
        'Declarant | BROKER-A',
        `Seller | ${longSeller}`,
        'Buyer | BUYER-9',
        'Courier | COURIER-7',
        'Transport mode | 4',
        'Dispatch country | CN (China)',
        'Procedure | 4000',
        'Additional procedure | C07',
        'Payment method | H',
        'Kind of declaration | A',
        'Exporter | EXPORTER-GT-1',
        'Destination country | KR (South Korea)',
        'Incoterm | FOB',
        'UCR | 6GT1234567-WEB',
        'Transport document | MAEU123456789',
      ];
      for (const fact of expected) assert.ok(facts.includes(fact), `"${fact}" in ${facts}`);
      assert.match(facts, /Office \| 030 \(.+\)/, 'the office with its name');
      assert.match(facts, /Lodged \| \d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d/);
      const items = page.locator('table.items tbody tr');
      assert.equal(await items.count(), 2);
      // the two items' HS subheadings are described from one request
      const asked: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/reference/hs')) asked.push(r.url());
      });
      await page.reload();
      await page.getByRole('heading', { name: /· WEB-DECL-PAGE/ }).waitFor();
      await items.nth(1).locator('.hs-description').waitFor();
      await items.first().locator('.hs-description').waitFor();
      assert.equal(asked.length, 1, asked.join(' '));
      const query = new URL(asked[0] ?? '').searchParams;
      assert.deepEqual([query.get('codes'), query.get('date')], [`${hs6},851713`, '2026-03-02']);
      const cells = await items.first().locator('td').allInnerTexts();
      const hs = `${hs6.slice(0, 4)}.${hs6.slice(4)}.00`;
      assert.deepEqual(
        cells.map((c) => c.replace(/\s*\n\s*/g, ' | ')),
        [
          '1',
          `${hs} | ${hsDescription}`,
          'glass tumblers, boxed',
          origin === 'CN' ? 'CN (China)' : cells[3],
          '2,551.5 kg',
          '2,700 kg',
          '1,200 NAR',
          '40 CT',
          '1,250.75 USD',
          'A00 8%',
        ],
      );
      assert.match(cells[3] ?? '', new RegExp(`^${origin} \\(.+\\)$`), 'the origin with its name');
      assert.equal((await items.nth(1).locator('td').nth(2).innerText()).trim(), longWord);
      // the chart drawn first: its canvas must follow the window as it narrows
      await page.getByRole('img', { name: /^Model factors: / }).waitFor();
      await assertNoSidewaysScroll(page);
      await page.setViewportSize({ width: 800, height: 900 });
      await assertNoSidewaysScroll(page);
      await screenshot(page, 'declaration-narrow-long-words');
      await page.setViewportSize({ width: 1280, height: 900 });
      await assertContrast(page);
      await assertEveryInputLabelled(page);
      await screenshot(page, 'declaration-officer');
      await page.close();
    });

    test("the risk assessment says its probability, what it means, and each factor with the declaration's value and its reference", async () => {
      const res = await suite.server.request('GET', `/api/declarations/${id}/assessment`, {
        token: suite.tokens.officer,
      });
      assert.equal(res.status, 200);
      const latest = res.body.latest as { score: number; explanation: { factors: Factor[] } | null };
      assert.ok(latest.explanation, 'the model explained the score');
      const page = await signIn('officer');
      const risk = section(page, /^Risk assessment/);
      await risk.waitFor();
      const text = await risk.innerText();
      assert.ok(
        text.includes(`Estimated probability of an irregularity: ${Math.round(latest.score * 100)}%`),
        text,
      );
      assert.match(text, /red from 80%, yellow from 50%, blue from 25%, green below/);
      assert.match(text, /No rule hit: the lane follows from the probability\./);
      const factors = page.locator('ul.factors li');
      assert.equal(await factors.count(), latest.explanation.factors.length);
      const shown = await factors.allInnerTexts();
      let withReference = 0;
      for (const [i, f] of latest.explanation.factors.entries()) {
        const line = shown[i] ?? '';
        assert.doesNotMatch(line, /log|:rate|:count|×|hs6/, `no feature names in "${line}"`);
        assert.match(line, f.contribution > 0 ? /raises the risk$/ : /lowers the risk$/);
        const r = f.reference;
        if (r?.kind === 'history') {
          withReference++;
          const n = (x: number) => x.toLocaleString('en');
          const seen = r.declarations ?? 0;
          assert.ok(
            seen === 0
              ? line.includes("not in the model's training data")
              : line.includes(
                  `in the model's training data: ${n(seen)} declarations, ${n(r.irregular ?? 0)} found irregular`,
                ),
            line,
          );
          assert.doesNotMatch(line, /earlier declarations/, 'the counts are of the training data');
        }
        const hs = `${hs6.slice(0, 4)}.${hs6.slice(4)}`;
        if (f.feature === 'logUnitValue') {
          withReference++;
          const [p] = await suite.ctx.db.query<{ p50: number; n: number }>(
            `SELECT p50::float8 AS p50, n FROM price_reference WHERE hs6 = $1 AND origin = $2 AND currency = 'USD'`,
            [hs6, origin],
          );
          assert.ok(p);
          // 1,260.75 USD over 2,552.5 kg
          const median = Number(p.p50.toPrecision(3)).toLocaleString('en');
          assert.ok(
            line.startsWith(
              `Unit value 0.494 USD/kg beside the published price reference: a median of ${median} USD/kg for HS ${hs} from `,
            ),
            line,
          );
        }
        if (f.feature === 'unitValueVsHs6') {
          withReference++;
          // what the model compared with: the median unit value of the HS6's main items in training
          const ratios = training
            .map((l) => l.declaration.items.reduce((best, it) => (it.value > best.value ? it : best)))
            .filter((it) => it.hsCode.startsWith(hs6) && (it.netMass ?? 0) > 0 && it.value > 0)
            .map((it) => it.value / (it.netMass as number))
            .sort((a, b) => a - b);
          assert.ok(ratios.length >= 5, 'the HS6 has a training median');
          const median = Number(
            (ratios[Math.floor(ratios.length / 2)] as number).toPrecision(3),
          ).toLocaleString('en');
          const expected = `Unit value against the HS subheading's median 0.494 USD/kg compared with the median of ${median} per kg for HS ${hs} in the model's training data (in the currencies declared, not converted)`;
          assert.ok(line.startsWith(expected), `"${line}" starts with "${expected}"`);
        }
      }
      assert.ok(withReference > 0, `a factor with its reference among ${shown.join(' / ')}`);
      const chart = page.getByRole('img', { name: /^Model factors: / });
      const label = (await chart.getAttribute('aria-label')) ?? '';
      assert.doesNotMatch(label, /logValue|logUnitValue|:rate|:count/, 'the chart uses the same names');
      await assertContrast(page);
      await screenshot(page, 'declaration-risk');
      await page.close();
    });

    test('a supervisor reroutes it in the page, and the reason takes the place of the rules; notes show in the history', async () => {
      const page = await signIn('supervisor');
      await page.getByRole('heading', { name: /· WEB-DECL-PAGE/ }).waitFor();
      const lane = String(
        (await suite.server.request('GET', `/api/declarations/${id}`, { token: suite.tokens.supervisor }))
          .body.lane,
      );
      const to = lane === 'red' ? 'yellow' : 'red';
      await page.getByLabel('Move to lane').selectOption(to);
      const reason = page.getByLabel('Reason', { exact: true });
      await reason.click();
      await reason.pressSequentially('intelligence report 42 on this seller');
      await page.keyboard.press('Enter');
      const risk = section(page, /^Risk assessment/);
      await risk.getByText('intelligence report 42 on this seller').waitFor();
      const text = await risk.innerText();
      assert.match(
        text,
        new RegExp(
          `Rerouted by supervisor on \\d{1,2} [A-Z][a-z]{2} 20\\d\\d, \\d\\d:\\d\\d from the ${lane} lane to the ${to} lane: .?intelligence report 42 on this seller`,
        ),
      );
      assert.doesNotMatch(text, /No rule hit/);
      await assertContrast(page);
      await screenshot(page, 'declaration-rerouted');

      // an officer records a control with notes: officials read them in the history too
      const recorded = await suite.server.request('POST', `/api/declarations/${id}/control-results`, {
        token: suite.tokens.officer,
        body: { outcome: 'compliant', notes: 'seals intact, 40 cartons counted' },
      });
      assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
      await page.reload();
      const history = section(page, 'History');
      await history.waitFor();
      const entry = history.locator('li', { hasText: 'controlled by officer' });
      await entry.getByText('Notes: seals intact, 40 cartons counted').waitFor();
      assert.match(
        await entry.innerText(),
        /controlled by officer: compliant\s+Notes: seals intact, 40 cartons counted/,
      );
      await screenshot(page, 'declaration-history-notes');
      await page.close();
    });

    /** The API paths a page asks for from now on, in order. */
    const asked = (page: Page) => {
      const paths: string[] = [];
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname.startsWith('/api/')) paths.push(url.pathname);
      });
      return paths;
    };

    test('opened directly, the page asks for each read once, the first ones while the session is checked', async () => {
      const page = await signIn('officer');
      // the first load's reads are all answered before counting the reload's
      await section(page, 'History').waitFor();
      await page.waitForLoadState('networkidle');
      const paths = asked(page);
      // how many reads had been asked for when the session's answer came in: the session's answer
      // is held back a while (index.html asks for it before the scripts load, so on a fast machine
      // it can be here before the page's first read is asked for anyway)
      let askedBeforeSession = -1;
      await page.route('**/api/auth/me', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await route.continue();
      });
      page.on('response', (r) => {
        if (new URL(r.url()).pathname === '/api/auth/me') askedBeforeSession = paths.length;
      });
      await page.reload();
      await section(page, /^Risk assessment/).waitFor();
      await section(page, 'History').waitFor();
      await page.waitForLoadState('networkidle');
      const reads = ['', '/events', '/control-results', '/assessment'].map(
        (r) => `/api/declarations/${id}${r}`,
      );
      for (const read of [...reads, '/api/offices', '/api/auth/me'])
        assert.equal(paths.filter((p) => p === read).length, 1, `${read} once in ${paths.join(', ')}`);
      const declaration = paths.indexOf(reads[0] as string);
      assert.ok(
        declaration >= 0 && declaration < askedBeforeSession,
        `the declaration asked for before the session's answer: ${paths.join(', ')} (${askedBeforeSession} before it)`,
      );
      await page.close();
    });

    test('the heading and the declaration show before the slower reads are answered, each panel saying it loads', async () => {
      const page = await signIn('officer');
      await section(page, 'History').waitFor();
      // the assessment and the history answered late: the rest of the page does not wait for them
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(/\/api\/declarations\/\d+\/(assessment|events)$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.reload();
      await page.getByRole('heading', { name: /· WEB-DECL-PAGE/ }).waitFor();
      await page.getByText('Loading the risk assessment…').waitFor();
      await page.getByText('Loading the history…').waitFor();
      assert.match(await page.locator('article').innerText(), /Invoice total\s+1,260\.75 USD/);
      assert.equal(await section(page, /^Risk assessment/).count(), 0);
      release();
      await section(page, /^Risk assessment/).waitFor();
      await section(page, 'History').waitFor();
      assert.equal(await page.getByText(/^Loading the (risk assessment|history)…$/).count(), 0);
      await page.close();
    });

    test("a trader's page asks for nothing the trader may not read, and shows no notes or reasons", async () => {
      const refused: string[] = [];
      const traderPage = await signIn('trader');
      const paths = asked(traderPage);
      traderPage.on('response', (r) => {
        if (r.status() === 403) refused.push(r.url());
      });
      await traderPage.reload();
      await traderPage.getByRole('heading', { name: /· WEB-DECL-PAGE/ }).waitFor();
      await section(traderPage, 'History').waitFor();
      await traderPage.waitForLoadState('networkidle');
      assert.deepEqual(refused, []);
      assert.deepEqual(
        paths.filter((p) => /\/(assessment|control-results)$/.test(p)),
        [],
        'no read of what a trader may not read, early or late',
      );
      assert.ok(paths.includes(`/api/declarations/${id}`), paths.join(', '));
      const body = await traderPage.locator('article').innerText();
      assert.doesNotMatch(body, /Risk assessment|seals intact|intelligence report/);
      assert.match(body, /Invoice total\s+1,260\.75 USD/);
      await assertNoSidewaysScroll(traderPage);
      await assertContrast(traderPage);
      await screenshot(traderPage, 'declaration-trader');
      await traderPage.close();
    });
  });
}
