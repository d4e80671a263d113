"""What the tests and the benchmarks share: starting the real processes on loopback and waiting for them."""
