"""Publish: what users read. ``terminal`` formats the CLI's output; ``digest`` and ``render``
make the daily digest (Markdown, HTML, Atom), ``mail`` sends it, ``serve`` runs Datasette, and
``stage`` is the one module here that reads the store."""
