/** Agency findings belong to their declaration: archived in its line and purged with it. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { verifyArchiveFolder } from '../governance/retention/archive-files.ts';
import { archiveExpired } from '../governance/retention/archive.ts';
import { Role } from '../governance/roles.ts';
import { apiSuite } from '../testing/api-suite.ts';
import { storageTargets } from '../testing/harness.ts';
import { anAgency, delivered } from '../testing/sharing-findings.ts';

const unzip = promisify(gunzip);

for (const target of storageTargets()) {
  describe(`agency findings under retention (${target})`, () => {
    const s = apiSuite(target, {
      agri: { username: 'agri-inspector', role: Role.PartnerAgency, partyId: 'AGRI' },
    });
    const dirs: string[] = [];
    after(async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    });

    test("a declaration's findings are archived in its line and purged with it", async () => {
      const id = (await s.lodge()).id;
      await anAgency(s.ctx.db, 'AGRI');
      await delivered(s.ctx.db, 'AGRI', [id]);
      const sent = await s.call(s.user('agri'), 'POST', '/api/sharing/findings', {
        declarationId: id,
        kind: 'licence_invalid',
        severity: 'medium',
        text: 'Import licence 2026/118 expired before the goods arrived',
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const dir = await mkdtemp(path.join(tmpdir(), 'clearway-findings-archive-'));
      dirs.push(dir);
      // eleven years on, every declaration lodged today is past the default ten
      const now = new Date(Date.now() + 11 * 366 * 86_400_000);
      const report = await archiveExpired(s.ctx.db, { dir, actor: 'test', now });
      const lines: string[] = [];
      for (const run of report.runs) {
        const manifest = await verifyArchiveFolder(run.folder);
        for (const file of manifest.files.filter((f) => f.dataClass === 'declarations'))
          lines.push(
            ...(await unzip(await readFile(path.join(run.folder, file.file))))
              .toString('utf8')
              .trimEnd()
              .split('\n'),
          );
      }
      const line = lines
        .map(
          (l) =>
            JSON.parse(l) as {
              declaration: { id: number };
              agencyFindings: { text: string; agency: string }[];
            },
        )
        .find((l) => l.declaration.id === id);
      assert.deepEqual(
        line?.agencyFindings.map((f) => [f.agency, f.text]),
        [['AGRI', 'Import licence 2026/118 expired before the goods arrived']],
      );
      const [left] = await s.ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM agency_findings WHERE declaration_id = $1',
        [id],
      );
      assert.equal(left?.n, 0);
      const after = await s.call(s.tokens.risk_analyst, 'GET', `/api/sharing/findings?declaration=${id}`);
      assert.deepEqual(after.body.findings, []);
    });
  });
}
