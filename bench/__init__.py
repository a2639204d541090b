"""Benchmarks of Krabuan (not tests): `make bench` or `python -m bench`.

Each module has `run() -> list[Result]`. Every result is the median time of a real operation and
of a baseline measured in the same process, interleaved round by round, and is read as the ratio
of the two, so that the numbers compare across machines. See docs/benchmarks.md.
"""
