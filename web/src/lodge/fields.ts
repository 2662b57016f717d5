/** The fields the Lodge form shows, in the order a person fills them in, with their labels. */
import type { PickerList } from '../codeText.ts';

type Kind = 'text' | 'number' | 'date' | 'select';
export interface Field {
  key: string;
  label: string;
  kind?: Kind;
  options?: [string, string][];
  width?: 'narrow' | 'wide';
  /** A code of this list, picked by code or words from the list in force on the declaration's date. */
  list?: PickerList;
}

export const header: Field[] = [
  {
    key: 'type',
    label: 'Type',
    kind: 'select',
    options: [
      ['IM', 'import'],
      ['EX', 'export'],
    ],
  },
  { key: 'functionalReference', label: 'Your reference' },
  { key: 'date', label: 'Date', kind: 'date' },
  { key: 'processingMode', label: 'Kind of declaration', width: 'narrow', list: 'declaration-kinds' },
  { key: 'office', label: 'Office of lodgement', width: 'narrow', list: 'offices' },
  { key: 'trader', label: 'Trader' },
  { key: 'declarant', label: 'Declarant' },
  { key: 'exporter', label: 'Exporter' },
  { key: 'seller', label: 'Seller' },
  { key: 'buyer', label: 'Buyer' },
  { key: 'courier', label: 'Express courier' },
  { key: 'transportMode', label: 'Transport mode', width: 'narrow', list: 'transport-modes' },
  { key: 'dispatchCountry', label: 'Dispatch country', width: 'narrow', list: 'countries' },
  { key: 'originCountry', label: 'Origin country', width: 'narrow', list: 'countries' },
  { key: 'destinationCountry', label: 'Destination country', width: 'narrow', list: 'countries' },
  { key: 'ucr', label: 'UCR (consignment reference)' },
  {
    key: 'transportDocumentType',
    label: 'Kind of transport document',
    width: 'narrow',
    list: 'transport-documents',
  },
  { key: 'transportDocument', label: 'Bill of lading or air waybill' },
  { key: 'incoterm', label: 'Incoterm', width: 'narrow', list: 'incoterms' },
  { key: 'currency', label: 'Currency', width: 'narrow', list: 'currencies' },
  { key: 'invoiceTotal', label: 'Invoice total', kind: 'number' },
  { key: 'paymentMethod', label: 'Payment method', width: 'narrow', list: 'payment-methods' },
  { key: 'procedure', label: 'Procedure', width: 'narrow', list: 'procedures' },
  {
    key: 'additionalProcedure',
    label: 'Additional procedure',
    width: 'narrow',
    list: 'additional-procedures',
  },
];

export const itemFields: Field[] = [
  { key: 'hsCode', label: 'HS code', list: 'hs' },
  { key: 'description', label: 'Description', width: 'wide' },
  { key: 'originCountry', label: 'Origin', width: 'narrow', list: 'countries' },
  { key: 'originIndicator', label: 'Kind of origin', width: 'narrow', list: 'origin-types' },
  { key: 'netMass', label: 'Net mass (kg)', kind: 'number' },
  { key: 'grossMass', label: 'Gross mass (kg)', kind: 'number' },
  { key: 'supplementaryQuantity', label: 'Quantity', kind: 'number' },
  { key: 'supplementaryUnit', label: 'Unit', width: 'narrow', list: 'units' },
  { key: 'value', label: 'Value', kind: 'number' },
  { key: 'dutyTaxType', label: 'Duty or tax type', width: 'narrow', list: 'duty-tax-types' },
  { key: 'dutyRate', label: 'Duty rate (%)', kind: 'number' },
  { key: 'packageType', label: 'Package type', width: 'narrow', list: 'package-types' },
  { key: 'packageCount', label: 'Packages', kind: 'number' },
];
