"""asyncdoc: find blocking calls, import cycles and async anti-patterns; fix them; learn the patterns."""

__version__ = "0.1.0"
