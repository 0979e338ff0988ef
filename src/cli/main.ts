#!/usr/bin/env node
/**
 * The pfc command line: argument parsing and exit statuses (0 ok, 1 errors in the input,
 * 2 bad usage or unreadable/unwritable files). Never prints a stack trace unless --debug.
 * The commands are imported when one runs, so that --version, --help and usage errors load
 * none of the compiler (in the bundle, scripts/bundle.mjs, they are a chunk of their own).
 */

import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './io.js';
import { version } from './version.js';

/** The commands (commands/index.ts), loaded by the first action that runs. */
const commands = () => import('./commands/index.js');

const debug = process.argv.includes('--debug');
let status = 0;

/** An internal error (a bug in pfc): one line and exit 70; the stack only with --debug. */
function internalError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`pfc: internal error: ${message.split('\n')[0]}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 70;
}

// A reader that goes away (`pfc compile ... | head`) ends the output quietly, not with a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(status);
  internalError(error);
  process.exit(70);
});
process.on('uncaughtException', (error) => {
  internalError(error);
  process.exit(70);
});

const program = new Command('pfc')
  .description('pfc, the port-forward compiler: checks rules.pf and compiles it for a packet filter.')
  .version(version, '-V, --version', 'print the version')
  .addOption(new Option('--debug', 'show stack traces of internal errors (for bug reports)'))
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `pfc: ${s}` : s) })
  .showSuggestionAfterError(true);

program
  .command('compile')
  .description('compile a rules file for a target; the rule set goes to stdout, or to -o FILE')
  .argument('<file>', "rules file, or '-' for stdin")
  .requiredOption('-t, --target <target>', "target (see 'pfc targets')")
  .option('-o, --output <file>', 'write the rule set to FILE (atomically; never on error)')
  .option('--table <name>', 'name of what pfc owns on the target (nftables table, pf anchor); default pfc')
  .option('--check', 'write nothing: exit 1 with a unified diff when OUT is not what FILE compiles to, 0 when it is')
  .action(async (file: string, opts: { target: string; output?: string; table?: string; check?: boolean }) => {
    const { compileCommand } = await commands();
    status = compileCommand(file, opts);
  });

program
  .command('check')
  .description('check rules files and print diagnostics only')
  .argument('<files...>', "rules files, or '-' for stdin")
  .option('-f, --format <format>', 'text (stderr), json, sarif (SARIF 2.1.0) or github (workflow commands)', 'text')
  .action(async (files: string[], opts: { format: string }) => {
    const { checkCommand } = await commands();
    status = checkCommand(files, opts);
  });

program
  .command('diff')
  .description('show what changed in meaning between two rules files (and, with --target, in the generated rule sets); exit 1 when they differ')
  .argument('<old>', "the rules file before, or '-' for stdin")
  .argument('<new>', "the rules file after, or '-' for stdin")
  .option('-t, --target <target>', 'also show the unified diff of the rule sets generated for this target')
  .option('--table <name>', 'name of what pfc owns on the target, as for compile')
  .option('-f, --format <format>', 'text or json', 'text')
  .action(async (oldFile: string, newFile: string, opts: { target?: string; table?: string; format: string }) => {
    const { diffCommand } = await commands();
    status = diffCommand(oldFile, newFile, opts);
  });

program
  .command('explain')
  .description('say which rule handles a packet, where it ends up and whether its source is rewritten; exit 1 when no rule matches')
  .argument('<file>', "rules file, or '-' for stdin")
  .requiredOption(
    '-p, --packet <packet>',
    'the packet: "PROTO SRC[:SPORT] -> DST:DPORT [on IFACE]", DST an address or an interface name (the router\'s address on it)',
  )
  .option('-f, --format <format>', 'text or json', 'text')
  .action(async (file: string, opts: { packet: string; format: string }) => {
    const { explainCommand } = await commands();
    status = explainCommand(file, opts);
  });

program
  .command('fmt')
  .description('lay rules files out the one canonical way (aligned columns, user order and comments kept); prints them, or checks or rewrites them')
  .argument('<files...>', "rules files, or '-' for stdin")
  .option('--check', 'write nothing: exit 1 with a unified diff for each file that is not formatted')
  .option('-w, --write', 'rewrite the files that are not formatted, in place')
  .action(async (files: string[], opts: { check?: boolean; write?: boolean }) => {
    const { fmtCommand } = await commands();
    status = fmtCommand(files, opts);
  });

program
  .command('targets')
  .description('list the targets pfc compiles to')
  .action(async () => {
    const { targetsCommand } = await commands();
    status = targetsCommand();
  });

try {
  await program.parseAsync(process.argv);
  process.exitCode = status;
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`pfc: ${error.message}\n`);
    process.exitCode = 2;
  } else internalError(error);
}
