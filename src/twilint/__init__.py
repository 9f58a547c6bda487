"""twilint: a linter and codemod tool for Twilio Functions projects."""

__version__ = "0.1.0"
