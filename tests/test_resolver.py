import socket

import pytest

from crawler.resolver import GuardedResolver, PrivateAddressRefused, is_public
from crawler.run import crawl_in_child
from crawler.watch import load_watch


def test_only_global_addresses_are_public():
    assert is_public("93.184.216.34") and is_public("2a00:1450:4009:81d::200e")
    for address in ("127.0.0.1", "10.0.0.8", "172.16.5.4", "192.168.1.1", "169.254.169.254", "::1",
                    "fd00::1", "fe80::1", "0.0.0.0", "not an address"):
        assert not is_public(address), address
    with pytest.raises(PrivateAddressRefused, match="169.254.169.254"):
        GuardedResolver._check("169.254.169.254", "metadata.example")


def local_name() -> str | None:
    """A name of this machine that resolves to a loopback or private address (as an attacker's
    public-looking name would): the machine's host name, when it is so."""
    name = socket.gethostname()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        return None
    return None if is_public(address) or address != "127.0.0.1" or name == "localhost" else name


@pytest.mark.skipif(local_name() is None, reason="this machine's host name does not resolve to 127.0.0.1")
@pytest.mark.crawl
def test_a_name_resolving_to_a_private_address_is_refused_unless_the_watch_allows_it(page_server, tmp_path):
    name, port = local_name(), page_server.server_address[1]
    base = f"http://{name}:{port}"
    words = " ".join(f"word{j} officers raid town" for j in range(80))
    page_server.routes.update({
        "/robots.txt": (200, {}, b""),
        "/feed": (200, {"Content-Type": "application/rss+xml"},
                  f"<rss><channel><item><link>{base}/a</link></item></channel></rss>".encode()),
        "/a": (200, {"Content-Type": "text/html"},
               f"<html lang='en'><head><title>Raid</title><meta property='og:type' content='article'></head>"
               f"<body><article><h1>Raid</h1><p>{words}.</p></article></body></html>".encode())})
    for allow, expect_pages in ((False, 0), (True, 1)):
        watch = tmp_path / f"watch-{allow}.toml"
        watch.write_text(f'[crawl]\nallow_private_addresses = {str(allow).lower()}\ndownload_delay = 0.0\n'
                         f'autothrottle = false\n[[outlet]]\nid = "local"\nhomepage = "{base}/"\n'
                         f'feeds = ["{base}/feed"]\ndomains = ["{name}"]\n')
        summary = crawl_in_child(load_watch(watch), tmp_path / f"a-{allow}.db", timeout=120)
        assert summary["pages"] == expect_pages, summary
        if not allow:
            assert summary["skipped"].get("unsafe", 0) >= 1 and summary["errors"] == 0
