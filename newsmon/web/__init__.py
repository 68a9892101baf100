"""The fake webs newsmon serves itself from 127.0.0.1, all on one server base
(``server``) and one writer of feeds, sitemaps and robots.txt (``listings``):

- ``demo``: the bundled demo news web that ``newsmon demo`` crawls;
- ``search``: local stand-ins for GDELT, Google News RSS and the Wayback Machine;
- ``faults``: a hostile web, one resource per way a server or a page goes wrong;
- ``synthetic``: a large generated web for throughput, crash and soak benchmarks.

Tests and benchmarks import them from here.
"""
