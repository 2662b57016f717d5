/** The `clearway` command: one sub-command per file in this folder. */
import { ConfigError } from '../config.ts';
import { DatabaseBusyError } from '../db/folder-lock.ts';
import { HeaderError } from '../declarations/formats/format.ts';
import { TrainingError } from '../risk/risk-model.ts';
import { fileErrorCode, fileProblem, UsageError } from './usage.ts';

type Command = (args: string[]) => Promise<number>;

/** Each command's module is loaded when it is run, so a command starts without loading every other one. */
const commands: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./import.ts')).importCommand,
  declarations: async () => (await import('./declarations.ts')).declarationsCommand,
  users: async () => (await import('./users.ts')).usersCommand,
  tokens: async () => (await import('./users.ts')).tokensCommand,
  offices: async () => (await import('./offices.ts')).officesCommand,
  reference: async () => (await import('./reference.ts')).referenceCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  risk: async () => (await import('./risk.ts')).riskCommand,
  classify: async () => (await import('./classify.ts')).classifyCommand,
  ledger: async () => (await import('./ledger.ts')).ledgerCommand,
  quality: async () => (await import('./quality.ts')).qualityCommand,
  export: async () => (await import('./export.ts')).exportCommand,
  backup: async () => (await import('./backup.ts')).backupCommand,
  restore: async () => (await import('./restore.ts')).restoreCommand,
  archive: async () => (await import('./retention.ts')).archiveCommand,
  retention: async () => (await import('./retention.ts')).retentionCommand,
  hold: async () => (await import('./retention.ts')).holdCommand,
  exchange: async () => (await import('./exchange.ts')).exchangeCommand,
  monitor: async () => (await import('./monitor.ts')).monitorCommand,
  clearance: async () => (await import('./clearance.ts')).clearanceCommand,
  release: async () => (await import('./release.ts')).releaseCommand,
  sharing: async () => (await import('./sharing.ts')).sharingCommand,
  documents: async () => (await import('./documents.ts')).documentsCommand,
};

/** Commands of two words, each in its own file and loaded alone: a new one is one line here. */
const twoWordCommands: Record<string, () => Promise<Command>> = {
  'sharing findings': async () => (await import('./sharing-findings.ts')).sharingFindings,
};

const help = `usage: clearway <command> [options]

commands:
  import FILE --format kcs|clearway [--rejects FILE] [--json] [--skip-assessment] [--skip-description-check]
                                  import declarations from a CSV file and risk-assess them
  import FILE|DIR --format wco-xml [--json]
                                  import WCO DEC-DMS 2 messages: one file, or every .xml file of a folder
  declarations list [--reference REF [--exact]] [--trader ID] [--declarant ID] [--hs PREFIX] [--office CODE]
                    [--status STATUS] [--lane LANE] [--from DAY] [--to DAY] [--before ID] [--limit N] [--json]
                                  search the declarations, newest first (--before: the last id of the previous page)
  users create --username NAME --role ROLE [--trader ID | --party ID] [--office CODE]... [--represents ID,ID] [--password-stdin]
  users list
  users change NAME [--role ROLE] [--party ID] [--office CODE]... [--represents ID,ID]
                                                                    replaces what it had; a new role or party ends its sessions and tokens
  users offices NAME [CODE...]                                      the customs offices an officer or supervisor works at (replaced)
  offices list [--json]                                             the customs offices, with country and validity
  offices add --code CODE --name NAME --country CC [--from DAY] [--to DAY]
  offices update --code CODE [--name NAME] [--country CC] [--from DAY|none] [--to DAY|none]
  reference search LIST QUERY [--date DAY] [--limit N] [--json]   a code list (hs, countries, currencies, units, package-types, procedures,
                                                                    transport-modes, offices) searched by code and words as in force on a day;
                                                                    with --codes A,B,C (hs): those subheadings in the edition in force
  users disable|enable NAME                                        disabling ends its sessions and revokes its API tokens at once
  tokens create --user NAME [--name LABEL] [--days N]            print a new API token once
  tokens list --user NAME [--json]                                  a user's API tokens (never the tokens themselves)
  tokens revoke --user NAME --id ID                                 revoke one API token; it stops working at once
  demo generate [--count N] [--seed S] [--out FILE] [--from DATE] [--to DATE]
  demo pairs --out DIR [--pairs N] [--seed S] [--exporting NL] [--importing KR] [--undervalued SHARE] [--unmatched SHARE]
                                                                    paired exports and imports of two administrations, with labels
  demo clearance [--seed N] [--until DATE] [--lodged-by ACTOR]     simulate stage times to release for the stored demo declarations that have none
                                                                    (those imported by ACTOR: the first start's 'demo', or import:FILE.csv)
  risk train --input FILE --format kcs|clearway [--valid FILE] --out MODEL.json
  risk train --from-db [--out MODEL.json]                           train on the recorded control results; registers the model
  risk evaluate --model MODEL.json --input FILE --format kcs|clearway    print quality as one JSON line
  risk assess                                                       risk-assess accepted declarations that have no lane yet
  classify suggest "TEXT" [--date DAY] [--origin CC] [--limit N] [--json]
                                  the most likely HS subheadings for a goods description, in the edition in force on DAY
  classify train [--json]                                           a classification model from the HS and tariff texts and the stored
                                                                    descriptions; registered inactive
  classify activate ID                                              make a classification model version the one that answers
  classify evaluate --input CASES.csv [--json]                      top-1/3/5 accuracy at HS2, HS4, HS6 of the active version
                                                                    (CSV columns text, expected_hs_code)
  ledger verify [--roots] [--copy DIR] [--json]                     re-check the ledger's chain, checkpoints and signed heads against the copy folder; exit 1 naming the first tampered entry
  ledger checkpoint                                                 sign a Merkle root over the entries since the last checkpoint
  ledger sign-head                                                  sign the ledger's head now (the server does every minute)
  ledger export-checkpoint ID [--leaves] [--out FILE]               a checkpoint as JSON for partners (with the entry hashes)
  ledger verify-checkpoint FILE --public-key PEM                    check an exported checkpoint with the public key alone
  monitor run [--period week|month] [--today DAY] [--json]
                                  forecast every monitored series and raise alerts up to the latest complete period
  release prepare --from YYYY-MM [--to YYYY-MM] --currency CUR [--min-traders N] [--dominance N:K,...] [--protection P]
                  [--correction TEXT] [--json]
                                  prepare a release of public trade statistics (aggregation, primary and secondary suppression)
  release approve|reject ID [--note TEXT]                           decide on a prepared release (not by the user who prepared it)
  release publish ID                                                publish an approved release: files, checksums, signature
  release list [--json]                                             every release with its status and suppression counts
  quality report [--from DATE] [--to DATE] [--period day|week|month] [--by field|trader] [--limit N] [--json]
                                  the lowest data-quality scores and their trends
  clearance report [--from DATE] [--to DATE] [--by office|lane|mode|section] [--json]
                                  Time Release Study: minutes per stage of the declarations released in the window
  clearance waiting [--office CODE]... [--json]                     what waits at each stage of clearance per office (all offices
                                                                    unless named), and since when the oldest
  documents extract FILE [--json]                                   read a commercial document (PDF, PNG, JPEG or text): invoice fields
                                                                    with the page, region and text each was read from
  documents read (--all-unread | --id ID) [--json]                  read attached documents: their fields, an invoice's review against its
                                                                    declaration (assessed again when still open and discrepancies are found)
  export analytics --out FILE [--from DATE] [--to DATE] [--release LABEL]
                                  declarations as JSON Lines with every party identifier pseudonymised
  export wco-xml --out DIR [--from DATE] [--to DATE]
                                  one WCO DEC-DMS 2 message file per declaration dated in the period
  backup --out FILE [--json]                                        write a consistent, compressed, checksummed backup of the database
  backup --verify FILE [--json]                                     check a backup file; print each table's rows and checksum
  restore FILE [--json]                                             restore a backup into an empty database (PGlite or PostgreSQL)
  retention list [--json]                                           how long each class of data is kept, and from when
  retention set CLASS PERIOD                                        e.g. declarations 10y, sessions 30d (refused if it would purge held data)
  archive [--out DIR] [--batch N] [--json]                          move expired data into archive files and purge it, recorded in the ledger
  archive verify FOLDER [--files-only] [--json]                     check an archive folder's files against its manifest and the ledger
  hold place|release ID --reason TEXT                               put a declaration under legal hold (kept whatever its age), or release it
  hold list [--all] [--json]                                        the standing legal holds (--all: released ones too)
  exchange partners list [--json]                                   partner administrations: confirmed, and proposals waiting for a second administrator
  exchange partners propose --as ADMIN --code CODE --name NAME --endpoint URL --public-key-file FILE --agreement REF --from DAY [--to DAY] [--types T,T]
  exchange partners confirm CODE --as ADMIN                         a second administrator puts the proposed terms in force (on the ledger)
  exchange outbox|inbox [--limit N] [--json]                        messages to and from partners, with state, attempts and last error
  exchange retry ID --as ADMIN                                      send a failed message again, attempts counted afresh (on the ledger)
  sharing agencies [--json]                                         the partner agencies that receive data under agreements
  sharing agency add CODE --name NAME --contact TEXT                add a partner agency (on the ledger)
  sharing agreements [--agency CODE] [--status STATUS] [--json]     data-sharing agreements with status and whether in force
  sharing agreement draft --file AGREEMENT.json --as ADMIN          draft an agreement (the body of POST /api/sharing/agreements)
  sharing agreement approve|reject|suspend|resume|revoke ID [--reason TEXT] --as USERNAME
                                                                    decide on an agreement (four-eyes: not the drafter, not the suspender)
  sharing findings [--agency CODE] [--declaration ID] [--kind KIND] [--limit N] [--json]
                                  what partner agencies found on the declarations they received, newest first
  sharing deliveries [--agency CODE] [--limit N] [--json]           the access log of data sharing: what each partner agency received, newest first

The database is the one the server uses: DATABASE_URL, or the embedded one in CLEARWAY_DATA_DIR (default ./.clearway).`;

/** The first line of a message: a refusal is one line (the usage is `clearway help`). */
const oneLine = (message: string) => message.split('\n', 1)[0] ?? message;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help + '\n');
    return 0;
  }
  if (!name) {
    process.stderr.write(
      'clearway: give a command; usage: clearway <command> [options] (clearway help lists them)\n',
    );
    return 2;
  }
  const twoWords = twoWordCommands[`${name} ${args[0] ?? ''}`];
  const load = twoWords ?? commands[name];
  const subs = Object.keys(twoWordCommands).filter((k) => k.startsWith(`${name} `));
  if (!load && subs.length > 0) {
    const known = subs.map((k) => k.slice(name.length + 1)).join(', ');
    process.stderr.write(`clearway ${name}: give a sub-command: one of ${known}\n`);
    return 2;
  }
  if (!load) {
    process.stderr.write(
      `clearway: unknown command "${name}"; usage: clearway <command> [options] (clearway help lists them)\n`,
    );
    return 2;
  }
  try {
    const command = await load();
    return await command(twoWords ? args.slice(1) : args);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof DatabaseBusyError ||
      error instanceof HeaderError ||
      error instanceof TrainingError
    ) {
      process.stderr.write(`clearway ${name}: ${oneLine(error.message)}\n`);
      return 2;
    }
    // a file named on the command line that cannot be opened, wherever the command found out
    const code = fileErrorCode(error);
    if (code !== undefined && error instanceof Error && 'path' in error) {
      process.stderr.write(`clearway ${name}: cannot open ${String(error.path)}: ${fileProblem(code)}\n`);
      return 2;
    }
    if (error instanceof Error && /reference file|ECONNREFUSED|does not exist/.test(error.message)) {
      process.stderr.write(`clearway ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
