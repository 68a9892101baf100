"""Log lines for newsmon crawls: a dropped page is news at INFO, without its HTML."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


class NewsLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        # Pages that are not articles are an expected outcome, counted in the summary.
        return {"level": logging.INFO, "msg": "Dropped: %(exception)s",
                "args": {"exception": exception}}
