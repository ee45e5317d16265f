// Output of the ops scripts: one prefixed line per message, and a one-line failure with exit 1.

export function say(message) {
  process.stdout.write(`watchpost | ${message}\n`);
}

/** Stops the script with one clear line on stderr (never a stack trace). */
export function fail(message) {
  process.stderr.write(`watchpost: ${message}\n`);
  process.exit(1);
}

/** Runs `main`, turning any error into one line and exit 1. */
export function runMain(main) {
  main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
}
