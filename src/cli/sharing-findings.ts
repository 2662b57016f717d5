/**
 * `clearway sharing findings`: what partner agencies found on declarations, newest first, of one
 * agency or one declaration if asked, as a table or one JSON line.
 */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { idMax, parseInteger, wholeNumberFrom } from '../shared/integer.ts';
import { findingKinds, listFindings, type FindingKind } from '../sharing/findings.ts';
import { parse, UsageError } from './usage.ts';

export const sharingFindingsUsage =
  'usage: clearway sharing findings [--agency CODE] [--declaration ID] [--kind KIND] [--limit N] [--json]';

const agencyCode = /^[A-Z0-9][A-Z0-9_-]{1,19}$/;

export async function sharingFindings(args: string[]): Promise<number> {
  const { values } = parse(args, {
    agency: { type: 'string' },
    declaration: { type: 'string' },
    kind: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.agency !== undefined && !agencyCode.test(values.agency))
    throw new UsageError(
      `--agency must be an agency code (2 to 20 upper-case letters, digits, _ or -), got "${values.agency}"`,
    );
  const declarationId =
    values.declaration === undefined ? undefined : parseInteger(values.declaration, 1, idMax);
  if (declarationId === null)
    throw new UsageError(`--declaration must be ${wholeNumberFrom(1, idMax)}, got "${values.declaration}"`);
  const kind = values.kind === undefined ? undefined : findingKinds.find((k) => k === values.kind);
  if (values.kind !== undefined && kind === undefined)
    throw new UsageError(`--kind must be one of ${findingKinds.join(', ')}, got "${values.kind}"`);
  const limit = values.limit === undefined ? 1000 : parseInteger(values.limit, 1, 100_000);
  if (limit === null)
    throw new UsageError(`--limit must be ${wholeNumberFrom(1, 100_000)}, got "${values.limit}"`);
  const ctx = await openAppContext(loadConfig());
  try {
    const { findings } = await listFindings(ctx.db, {
      limit,
      ...(values.agency !== undefined ? { agency: values.agency } : {}),
      ...(declarationId !== undefined ? { declarationId } : {}),
      ...(kind !== undefined ? { kind: kind satisfies FindingKind } : {}),
    });
    process.stdout.write(values.json ? JSON.stringify({ findings }) + '\n' : table(findings));
    return 0;
  } finally {
    await ctx.close();
  }
}

type Row = Awaited<ReturnType<typeof listFindings>>['findings'][number];

/** One line per finding; the agency's text on one line, cut at 60 characters. */
function table(findings: readonly Row[]): string {
  if (findings.length === 0) return 'no agency findings\n';
  const head = ['id', 'at', 'declaration', 'agency', 'kind', 'severity', 'text'];
  const rows = findings.map((f) => {
    const text = (f.text ?? '').replace(/\s+/g, ' ');
    return [
      String(f.id),
      f.createdAt.slice(0, 16).replace('T', ' '),
      String(f.declarationId),
      f.agency,
      f.kind,
      f.severity,
      text.length > 60 ? `${text.slice(0, 59)}…` : text,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
