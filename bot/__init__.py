"""Conversation, answers and the front ends (command line, Telegram) over ``index``."""

from pathlib import Path

# The --corpus of a command that named none (no --corpus, no CITEBOT_CORPUS): bot/cli.py's argparse hands this very
# object over, and make_builder knows it by it. Kept here, not in bot/cli.py: `python -m bot.cli` runs that module as
# __main__, and `citebot eval` or a bot's updater importing bot.cli again got a second object, so a folder that merely
# happens to be ./corpus was taken for a named one there, and built over the store.
UNNAMED_CORPUS = Path("corpus")
