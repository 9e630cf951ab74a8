/*
 * The command line: `iamcross COMMAND [options]`.  cli_main() parses the
 * arguments and runs a command; it returns the process exit status (0 no
 * finding at or above --fail-on, 1 findings at or above it, 2 a usage error,
 * an unreadable input or an internal error).
 */
#ifndef IAMCROSS_CLI_H
#define IAMCROSS_CLI_H

int cli_main(int argc, char **argv);

#endif
