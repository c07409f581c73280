"""Side-by-side benchmarks of labourint_match: ``python -m benchmarks --profile ci|full``."""
