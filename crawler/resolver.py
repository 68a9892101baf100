"""Name resolution that refuses private addresses: a public-looking name must not lead the
crawler into the machine's own network (loopback, private ranges, link-local, where cloud
metadata services listen). Literal addresses in URLs are checked earlier, by the safety
guard middleware; this checks what a name resolves to, for every connection, redirects
included."""

from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError


class PrivateAddressRefused(DNSLookupError):
    """A name resolved to an address newsmon does not connect to; str() says which."""


def is_public(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


class GuardedResolver(CachingThreadedResolver):
    allow_private = False

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("NEWSMON_ALLOW_PRIVATE_ADDRESSES")
        # A name the watch lets through (alone or with a port: the port is not known here).
        resolver.private_names = {h.lower().rsplit(":", 1)[0] for h in crawler.settings.getlist("NEWSMON_PRIVATE_HOSTS")}
        return resolver

    private_names: set = set()

    def getHostByName(self, name, timeout=()):  # noqa: N802 - Twisted's name
        deferred = super().getHostByName(name, timeout)
        if not self.allow_private and name.lower() not in self.private_names:
            deferred.addCallback(self._check, name)
        return deferred

    @staticmethod
    def _check(address: str, name: str) -> str:
        if not is_public(address):
            raise PrivateAddressRefused(f"{name} resolves to {address}, a private, loopback or link-local "
                                        "address: not fetched (a watch may set allow_private_addresses)")
        return address
