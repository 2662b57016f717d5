// A test reporter that says nothing until the run ends, then lists each failed test with its file
// and the first lines of its error, so the end of a long log names what failed.
export default async function* failures(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, line, details } = event.data;
    if (details?.type === 'suite') continue;
    const error = details?.error?.cause ?? details?.error;
    const message = String(error?.stack ?? error ?? 'failed')
      .split('\n')
      .slice(0, 8)
      .join('\n#     ');
    failed.push(`# ✖ ${name}\n#   ${file ?? '?'}:${line ?? '?'}\n#     ${message}\n`);
  }
  if (failed.length === 0) return;
  yield `# ${failed.length} failed:\n`;
  for (const entry of failed) yield entry;
}
