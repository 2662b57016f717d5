/**
 * Mirror analysis's shapes at the HTTP edge (TypeBox: validation, types and OpenAPI from one schema):
 * GET /api/declarations/:id/mirror and GET /api/exchange/mirror-statistics. The web application
 * takes its types from here (web/src/mirror/types.ts).
 */
import { Type } from 'typebox';

const Figure = Type.Union([Type.Number(), Type.String(), Type.Null()]);

export const GapView = Type.Object({
  kind: Type.Union([
    Type.Literal('value'),
    Type.Literal('quantity'),
    Type.Literal('mass'),
    Type.Literal('hs'),
    Type.Literal('origin'),
  ]),
  item: Type.Union([Type.Integer(), Type.Null()], {
    description: "The import's goods item number; null: the whole declaration",
  }),
  importFigure: Figure,
  exportFigure: Figure,
  ratio: Type.Union([Type.Number(), Type.Null()], {
    description: 'import / export (value: after the margin)',
  }),
  threshold: Type.Union([Type.Number(), Type.Null()], { description: 'The configured bound applied' }),
  items: Type.Optional(
    Type.Array(Type.Integer(), {
      description:
        "Every import item of the gap's pool, when its HS6 is on several items (`item` is the first)",
    }),
  ),
  beyond: Type.Boolean({ description: 'A finding' }),
  text: Type.String(),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ExportRecordView = Type.Object({
  reference: Type.String(),
  acceptedOn: Nullable(Type.String({ format: 'date' })),
  ucr: Nullable(Type.String()),
  transportDocument: Nullable(Type.String()),
  exporter: Nullable(Type.String()),
  importer: Nullable(Type.String()),
  destinationCountry: Nullable(Type.String()),
  currency: Type.String(),
  invoiceTotal: Nullable(Type.Number()),
  items: Type.Array(
    Type.Object({
      hsCode: Type.String(),
      description: Type.String(),
      value: Type.Number(),
      netMass: Nullable(Type.Number()),
      quantity: Nullable(Type.Number()),
      originCountry: Nullable(Type.String()),
    }),
  ),
  payloadIntact: Type.Optional(
    Type.Literal(false, {
      description: 'Present when the stored message no longer has the digest it was received with',
    }),
  ),
});

export const MirrorView = Type.Object({
  declarationId: Type.Integer(),
  matches: Type.Array(
    Type.Object({
      partner: Type.String(),
      messageId: Type.String(),
      matchedBy: Type.Union([
        Type.Literal('ucr'),
        Type.Literal('transport_document'),
        Type.Literal('parties'),
      ]),
      matchedAt: Type.String({ format: 'date-time' }),
      export: ExportRecordView,
      gaps: Type.Array(GapView),
      pairs: Type.Array(
        Type.Object({
          importItem: Type.Union([Type.Integer(), Type.Null()], {
            description: "The import's goods item number; null: an export item without a partner",
          }),
          exportItem: Type.Union([Type.Integer(), Type.Null()], {
            description: "The export's item number (its place in the message, from 1); null: none",
          }),
        }),
        {
          description:
            'Every item of both sides as mirror analysis pairs them (same HS6 first, then in order), in the import order; an item without a partner alone',
        },
      ),
    }),
  ),
});

export const StatisticsRowView = Type.Object({
  partner: Type.String(),
  chapter: Type.String({ description: 'The principal HS chapter of the export (its item of highest value)' }),
  month: Type.String({ description: "The export's month" }),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  beyond: Type.Integer({ description: 'Matched exports whose import has a gap beyond its threshold' }),
  exportValue: Type.Number(),
  importValue: Type.Number(),
  valueGap: Type.Number({ description: 'import - export, over the matched pairs comparable in value' }),
  currency: Type.String(),
});

export const StatisticsView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  rows: Type.Array(StatisticsRowView),
});
