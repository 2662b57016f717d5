/**
 * Columns of the clearway CSV format: one row per goods item; the header columns repeat on every
 * item row of a declaration, and consecutive rows with the same trader and functional reference
 * form one declaration. `control_outcome` and `irregularity` are optional labels: the result of a
 * control that already happened (demo data and historical records).
 */
export const clearwayColumns = [
  'type',
  'functional_reference',
  'date',
  'office',
  'declarant',
  'trader',
  'seller',
  'buyer',
  'courier',
  'transport_mode',
  'dispatch_country',
  'origin_country',
  'currency',
  'invoice_total',
  'procedure',
  'additional_procedure',
  'payment_method',
  'processing_mode',
  'ucr',
  'transport_document',
  'transport_document_type',
  'exporter',
  'destination_country',
  'incoterm',
  'item_sequence',
  'hs_code',
  'description',
  'item_origin_country',
  'net_mass',
  'gross_mass',
  'supplementary_quantity',
  'supplementary_unit',
  'item_value',
  'duty_tax_type',
  'duty_rate',
  'package_type',
  'package_count',
  'origin_indicator',
  'control_outcome',
  'irregularity',
] as const;

export type ClearwayColumn = (typeof clearwayColumns)[number];
