"""Rules for this paper are added here (see docs/ARCHITECTURE.md)."""
