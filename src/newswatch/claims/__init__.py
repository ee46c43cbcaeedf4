"""Numeric claims: what each number in an article measures, of what, and when; which claims of a
story are about the same thing; and where they cannot all be true.

Pure code except ``stage.py``, the one module here that talks to the store.
"""
