/**
 * Trade vocabulary of textiles and clothing, footwear and headgear, stone, ceramics and glass, jewellery, base metals and their articles (HS chapters 50-83): the words traders, forwarders and brokers use for these goods (retail
 * and trade names, abbreviations, grades and industry terms), each mapped to the words the HS and
 * HTS texts use for them. Same format as the tables of lexicon.ts; an entry there wins over one here.
 */
export const textilesMetals = `
`;
