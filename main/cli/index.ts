#!/usr/bin/env node
/** Entry point of the `hubdeck` command. */
import { processIo } from './cli-context';
import { runCli } from './program';

runCli(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
