"""newswatch: watch AI-infrastructure news, cluster stories, compare numeric claims."""

__version__ = "0.1.0"
