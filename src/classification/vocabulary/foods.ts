/**
 * Trade vocabulary of animals, vegetables, fats, foods, beverages and tobacco (HS chapters 01-24): the words traders, forwarders and brokers use for these goods (retail
 * and trade names, abbreviations, grades and industry terms), each mapped to the words the HS and
 * HTS texts use for them. Same format as the tables of lexicon.ts; an entry there wins over one here.
 */
export const foods = `
`;
