/**
 * The files of a published release, made once at publication and stored as bytes: per table a CSV,
 * a JSON and an SDMX-CSV file, the Frictionless Data Package descriptor (datapackage.json), the
 * methodology note, and the manifest naming every file with its SHA-256, which the administration's
 * key signs. Confidential cells are listed with no values and the flag C (in SDMX, CONF_STATUS C),
 * whether suppressed first or to protect another cell.
 */
import { createHash } from 'node:crypto';
import type { DisclosureParameters } from './parameters.ts';

export interface ReleaseFacts {
  name: string;
  version: number;
  periodFrom: string;
  periodTo: string;
  currency: string;
  parameters: DisclosureParameters;
  corrects: number | null;
  correctionNote: string | null;
  publishedAt: string;
  /** Who publishes, in SDMX terms the agency (CLEARWAY_ADMINISTRATION, or CLEARWAY). */
  agency: string;
}

/** A stored cell, its amounts in minor units (cents, grams, thousandths). */
export interface StoredCell {
  tableName: string;
  flow: string;
  month: string;
  procedure: string;
  hs: string;
  partner: string;
  value: number;
  netMass: number;
  supplementary: number | null;
  declarations: number;
  status: 'published' | 'primary' | 'secondary';
}

export interface ReleaseFile {
  name: string;
  mediaType: string;
  content: Buffer;
  sha256: string;
}

const levelOf = (hs: string) =>
  hs === 'TOTAL' ? 'total' : hs.length === 2 ? 'chapter' : hs.length === 4 ? 'heading' : 'subheading';
const decimal = (minor: number, places: number) => {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(places + 1, '0');
  return `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
};

interface PublicCell {
  hs: string;
  level: string;
  partner: string;
  value: string | null;
  netMass: string | null;
  supplementaryQuantity: string | null;
  declarations: number | null;
  confidential: boolean;
}

function publicCell(c: StoredCell): PublicCell {
  const hidden = c.status !== 'published';
  return {
    hs: c.hs,
    level: levelOf(c.hs),
    partner: c.partner,
    value: hidden ? null : decimal(c.value, 2),
    netMass: hidden ? null : decimal(c.netMass, 3),
    supplementaryQuantity: hidden || c.supplementary === null ? null : decimal(c.supplementary, 3),
    declarations: hidden ? null : c.declarations,
    confidential: hidden,
  };
}

const csvFields = [
  'flow',
  'month',
  'procedure',
  'hs',
  'level',
  'partner',
  'value',
  'netMass',
  'supplementaryQuantity',
  'declarations',
  'flag',
];
const fieldTypes: Record<string, string> = {
  value: 'number',
  netMass: 'number',
  supplementaryQuantity: 'number',
  declarations: 'integer',
};

/** CSV text cells are codes and digits only, so no quoting is needed; a code with a comma is refused. */
const csvText = (v: string) => {
  if (/[",\r\n]/.test(v)) throw new Error(`a code holds a CSV delimiter: ${v}`);
  return v;
};

function tableCsv(cells: StoredCell[]): string {
  const lines = [csvFields.join(',')];
  for (const c of cells) {
    const p = publicCell(c);
    lines.push(
      [
        c.flow,
        c.month,
        c.procedure,
        p.hs,
        p.level,
        p.partner,
        p.value ?? '',
        p.netMass ?? '',
        p.supplementaryQuantity ?? '',
        p.declarations ?? '',
        p.confidential ? 'C' : '',
      ]
        .map((v) => csvText(String(v)))
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

const sdmxMeasures: [string, keyof PublicCell, string][] = [
  ['VALUE', 'value', ''],
  ['NET_MASS', 'netMass', 'KGM'],
  ['SUPPL_QUANTITY', 'supplementaryQuantity', ''],
  ['DECLARATIONS', 'declarations', 'NUMBER'],
];

function tableSdmx(cells: StoredCell[], facts: ReleaseFacts): string {
  const dataflow = `${facts.agency}:DF_TRADE(1.0)`;
  const lines = [
    'DATAFLOW,FREQ,TIME_PERIOD,TRADE_FLOW,CUSTOMS_PROCEDURE,COMMODITY,PARTNER,MEASURE,OBS_VALUE,UNIT_MEASURE,CONF_STATUS',
  ];
  for (const c of cells) {
    const p = publicCell(c);
    for (const [measure, field, unit] of sdmxMeasures) {
      if (measure === 'SUPPL_QUANTITY' && p.level !== 'subheading') continue;
      const value = p[field];
      lines.push(
        [
          dataflow,
          'M',
          c.month,
          c.flow === 'imports' ? 'M' : 'X',
          c.procedure,
          p.hs,
          p.partner,
          measure,
          value ?? '',
          measure === 'VALUE' ? facts.currency : unit,
          p.confidential ? 'C' : 'F',
        ]
          .map((v) => csvText(String(v)))
          .join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const file = (name: string, mediaType: string, text: string): ReleaseFile => {
  const content = Buffer.from(text, 'utf8');
  return { name, mediaType, content, sha256: sha256(content) };
};

export function methodologyNote(facts: ReleaseFacts): string {
  const p = facts.parameters;
  return [
    `# ${facts.name}, version ${facts.version}`,
    '',
    `Imports and exports declared in ${facts.periodFrom === facts.periodTo ? facts.periodFrom : `${facts.periodFrom} to ${facts.periodTo}`}, from accepted declarations in ${facts.currency}.`,
    'One table per flow, month and customs procedure: HS chapters, headings and subheadings by partner country',
    '(origin for imports, destination for exports), with totals. Value in the currency, net mass in kilograms,',
    "supplementary quantity in the subheading's unit (subheadings only), and declarations (a declaration counts",
    'once in each subheading and partner it has goods in; higher rows add them up).',
    '',
    'Confidential cells (flag C) carry no values. A cell is confidential when fewer than',
    `${p.minTraders} traders contribute to it, or when ${p.dominance.map((r) => `its ${r.n} largest trader${r.n === 1 ? '' : 's'} hold more than ${r.k}% of its value`).join(', or ')};`,
    'further cells are withheld so that no confidential value can be worked out from the published totals,',
    `exactly or within ${p.protectionPercent}% of its value.`,
    ...(facts.corrects === null
      ? []
      : ['', `This version corrects version ${facts.corrects}: ${facts.correctionNote ?? ''}`]),
    '',
  ].join('\n');
}

/** Every file of the release but the manifest, tables in name order. */
export function releaseFiles(facts: ReleaseFacts, cells: StoredCell[]): ReleaseFile[] {
  const byTable = new Map<string, StoredCell[]>();
  for (const c of cells) {
    let list = byTable.get(c.tableName);
    if (!list) byTable.set(c.tableName, (list = []));
    list.push(c);
  }
  const files: ReleaseFile[] = [];
  const resources: unknown[] = [];
  for (const name of [...byTable.keys()].sort()) {
    const list = byTable.get(name) ?? [];
    const csv = file(`${name}.csv`, 'text/csv', tableCsv(list));
    const first = list[0];
    const json = file(
      `${name}.json`,
      'application/json',
      JSON.stringify({
        table: name,
        flow: first?.flow,
        month: first?.month,
        procedure: first?.procedure,
        currency: facts.currency,
        cells: list.map(publicCell),
      }),
    );
    const sdmx = file(
      `${name}.sdmx.csv`,
      'application/vnd.sdmx.data+csv; version=1.0.0',
      tableSdmx(list, facts),
    );
    files.push(csv, json, sdmx);
    resources.push({
      name,
      path: csv.name,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      bytes: csv.content.length,
      hash: `sha256:${csv.sha256}`,
      schema: {
        fields: csvFields.map((f) => ({ name: f, type: fieldTypes[f] ?? 'string' })),
        missingValues: [''],
        primaryKey: ['hs', 'partner'],
      },
    });
  }
  const note = file('methodology.md', 'text/markdown', methodologyNote(facts));
  const descriptor = {
    profile: 'tabular-data-package',
    name: facts.name,
    title: `Trade statistics ${facts.periodFrom}${facts.periodTo === facts.periodFrom ? '' : ` to ${facts.periodTo}`}`,
    version: String(facts.version),
    created: facts.publishedAt,
    description: note.content.toString('utf8'),
    sources: [{ title: 'Accepted customs declarations' }],
    clearway: {
      currency: facts.currency,
      parameters: facts.parameters,
      corrects: facts.corrects,
      correctionNote: facts.correctionNote,
    },
    resources,
  };
  return [...files, note, file('datapackage.json', 'application/json', JSON.stringify(descriptor, null, 2))];
}

/** The signed text: the release's facts and every file's name, size and SHA-256. */
export function manifestOf(facts: ReleaseFacts, files: ReleaseFile[]): string {
  return JSON.stringify({
    format: 'clearway-open-release-v1',
    ...facts,
    files: files.map((f) => ({ name: f.name, bytes: f.content.length, sha256: f.sha256 })),
  });
}
