"""Source reliability: truth discovery over claim groups (truth.py) and its stage."""
