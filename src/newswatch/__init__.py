"""newswatch: watch AI-infrastructure news, cluster stories, compare numeric claims."""

import os

# torch's OpenMP threads otherwise spin while they wait for each other. On a machine whose cores
# are busy with other work, the many short model calls of the claims stage (and spaCy, which
# loads torch too) then cost several times their compute; waiting threads that sleep cost
# little when the cores are free. Set before anything loads torch; an explicit setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
