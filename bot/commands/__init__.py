"""What each `salescoach` subcommand does, by job; `bot.cli` parses and names them lazily.

Each handler is `(args, settings, out) -> exit code`. `bot.cli` refers to one as
"module:function" and imports it only when its command runs, so `salescoach --help` loads no
database, engine or channel library.
"""
