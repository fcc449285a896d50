"""Conversation, answers and the front ends (command line, Telegram) over ``index``."""
