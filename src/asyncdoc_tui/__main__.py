"""`python -m asyncdoc_tui` is the same as the `asyncdoc` command."""

from asyncdoc_tui.cli import main

raise SystemExit(main())
