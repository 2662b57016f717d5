/**
 * Trade vocabulary of vehicles, aircraft, ships, instruments, clocks, musical instruments, arms, furniture, toys and sports goods, miscellaneous articles and art (HS chapters 86-97): the words traders, forwarders and brokers use for these goods (retail
 * and trade names, abbreviations, grades and industry terms), each mapped to the words the HS and
 * HTS texts use for them. Same format as the tables of lexicon.ts; an entry there wins over one here.
 */
export const vehiclesOther = `
`;
