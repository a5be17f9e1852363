// Entry point of the headless `patchpilot` CLI.
const args = process.argv.slice(2);
if (args[0] === '--version') {
  process.stdout.write('patchpilot 0.1.0\n');
  process.exit(0);
}
process.stderr.write('patchpilot: no command given. Commands: run, fix-tests, apply-edit, parse-test-output, demo\n');
process.exit(2);
