"""The benchmark: a seeded corpus, a loopback server, baselines, scenarios and a report
(``python -m bench.run``)."""
