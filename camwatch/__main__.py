"""``python -m camwatch`` runs the CLI."""

from camwatch.cli import main

main()
