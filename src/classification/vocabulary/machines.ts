/**
 * Trade vocabulary of machinery and electrical equipment (HS chapters 84-85): the words traders, forwarders and brokers use for these goods (retail
 * and trade names, abbreviations, grades and industry terms), each mapped to the words the HS and
 * HTS texts use for them. Same format as the tables of lexicon.ts; an entry there wins over one here.
 */
export const machines = `
`;
