"""Stage 8, cli: the `symcnn` command, its subcommands and their reports.

Owns argument parsing, the commands (each a small function over the stages below),
safe output files and the text/JSON reports. May import every other stage.
"""
