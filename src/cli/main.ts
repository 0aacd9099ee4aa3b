#!/usr/bin/env node
import { ConfigError } from '../server/config.js';
import { StartupError } from '../service/key-hierarchy.js';
import { RootKeyConfigError } from '../root-key/root-key-provider.js';
import { serve } from './serve.js';

const HELP = `strongroom - self-hosted Key Management Service

Usage:
  strongroom serve        Start the server (configuration from the environment; see README)
  strongroom --help       Show this help
  strongroom --version    Print the version
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'serve':
      return serve(process.env);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '--version':
    case 'version':
      process.stdout.write('0.1.0\n');
      return 0;
    default:
      process.stderr.write(`strongroom: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Startup refusals are expected operator errors: say what to fix, without a stack trace.
    if (e instanceof ConfigError || e instanceof StartupError || e instanceof RootKeyConfigError) {
      process.stderr.write(`strongroom: ${e.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`strongroom: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
