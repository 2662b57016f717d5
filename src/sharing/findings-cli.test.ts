/** `clearway sharing findings`, run as a subprocess against a fresh database of each engine. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clearway } from '../testing/cli-process.ts';
import { storageTargets } from '../testing/harness.ts';
import { anAgency } from '../testing/sharing-findings.ts';
import { emptyStore, type EmptyStore } from '../testing/stores.ts';

for (const target of storageTargets()) {
  describe(`clearway sharing findings on ${target}`, () => {
    let store: EmptyStore;
    before(async () => {
      store = await emptyStore(target);
      const db = await store.open();
      try {
        await anAgency(db, 'AGRI', 'Plant and Animal Health Agency');
        await anAgency(db, 'HEALTH', 'Food Standards Agency');
        await db.query(
          `INSERT INTO agency_findings (declaration_id, trader_id, agency, kind, severity, text, created_by) VALUES
             (101, 'TRADER-A', 'AGRI', 'phytosanitary_hold', 'high', 'Live pests
in the packaging', 'agri-1'),
             (102, 'TRADER-A', 'HEALTH', 'tax_discrepancy', 'low', 'Excise stamp missing', 'health-1'),
             (101, 'TRADER-A', 'HEALTH', 'licence_missing', 'medium', 'No import permit', 'health-1')`,
        );
      } finally {
        await db.close();
      }
    });
    after(async () => {
      await store?.dispose();
    });
    const run = (args: string[]) => clearway(store.env, args);

    test('lists every finding newest first as one JSON line, or those of an agency or a declaration', async () => {
      const all = await run(['sharing', 'findings', '--json']);
      assert.equal(all.code, 0, all.stderr);
      const listed = (JSON.parse(all.stdout) as { findings: { declarationId: number; agency: string }[] })
        .findings;
      assert.deepEqual(
        listed.map((f) => [f.declarationId, f.agency]),
        [
          [101, 'HEALTH'],
          [102, 'HEALTH'],
          [101, 'AGRI'],
        ],
      );
      const agri = await run(['sharing', 'findings', '--agency', 'AGRI', '--json']);
      assert.deepEqual(
        (JSON.parse(agri.stdout) as { findings: { kind: string }[] }).findings.map((f) => f.kind),
        ['phytosanitary_hold'],
      );
      const one = await run(['sharing', 'findings', '--declaration', '102', '--json']);
      assert.deepEqual(
        (JSON.parse(one.stdout) as { findings: { text: string }[] }).findings.map((f) => f.text),
        ['Excise stamp missing'],
      );
    });

    test('prints a table with one line per finding', async () => {
      const res = await run(['sharing', 'findings', '--agency', 'AGRI']);
      assert.equal(res.code, 0, res.stderr);
      const lines = res.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0] ?? '', /^id\s+at\s+declaration\s+agency\s+kind\s+severity\s+text$/);
      assert.match(lines[1] ?? '', /101\s+AGRI\s+phytosanitary_hold\s+high\s+Live pests in the packaging$/);
    });

    test('a wrong option is a usage mistake naming it, and sharing alone names its sub-commands', async () => {
      const agency = await run(['sharing', 'findings', '--agency', 'agri']);
      assert.equal(agency.code, 2);
      assert.match(agency.stderr, /--agency must be an agency code/);
      const id = await run(['sharing', 'findings', '--declaration', '1e3']);
      assert.equal(id.code, 2);
      assert.match(id.stderr, /--declaration must be a whole number/);
      const kind = await run(['sharing', 'findings', '--kind', 'smuggling']);
      assert.match(kind.stderr, /--kind must be one of sanitary_hold/);
      const bare = await run(['sharing']);
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /give a sub-command: one of .*findings/);
    });
  });
}
