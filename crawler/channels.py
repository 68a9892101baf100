"""The channels alerts go out through: an Atom feed file, SMTP email, a webhook POST.

Each ``send_*`` sends one message (rendered by ``pipelines.digest``) or raises
``ChannelError``, whose text is one line with no secret in it. Webhook and SMTP hosts
pass the crawl's private-address rules (``crawler.middlewares.refusal`` and the watch's
``allow_private_addresses`` / ``private_hosts``); a name is resolved once, checked, and
the connection goes to the address that was checked, so a name that changes its answer
meanwhile (DNS rebinding) leads nowhere new.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import os
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from pipelines import digest

logger = logging.getLogger("newsmon.alerts")

WEBHOOK_BACKOFF = 0.5  # seconds before a webhook's second try in one send, doubling after
USER_AGENT = "newsmon-alerts/1"


class ChannelError(Exception):
    """A channel that could not be used; str() is one line, secrets removed."""


class Secrets:
    """The channel's secrets, read from the environment variables the watch names; any of
    their values is blanked out of an error before it is shown."""

    def __init__(self, channel, env=None):
        env = os.environ if env is None else env
        self.values = {}
        for key in ("username_env", "password_env", "url_env", "secret_env"):
            name = getattr(channel, key, None)
            if name:
                value = env.get(name)
                if not value:
                    raise ChannelError(f"channel {channel.id}: environment variable {name} is not set "
                                       f"(the watch's {key})")
                self.values[key[:-4]] = value

    def get(self, key):
        return self.values.get(key)

    def redact(self, text: str) -> str:
        for value in self.values.values():
            if value and len(value) >= 3:
                text = text.replace(value, "***")
        return text


def checked_addresses(host: str, port: int, allow_private: bool, private_hosts=()) -> list[str]:
    """The addresses to connect to for host:port, under the crawl's private-address rules."""
    from crawler.middlewares import allowed_private, refusal
    from crawler.resolver import is_public

    host = host.lower().strip("[]")
    private_hosts = {h.lower() for h in private_hosts}
    why = refusal(urlsplit(f"https://{_netloc(host, port)}/"), {"https"}, allow_private, private_hosts)
    if why:
        raise ChannelError(f"{host}:{port} refused: {why} (a watch may set allow_private_addresses "
                           "or private_hosts)")
    try:
        addresses = sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})
    except OSError as exc:
        raise ChannelError(f"{host}:{port}: cannot resolve the name ({exc.strerror or exc})") from None
    if not (allow_private or allowed_private(host, port, private_hosts)):
        private = [a for a in addresses if not is_public(a)]
        if private:
            raise ChannelError(f"{host}:{port} refused: {host} resolves to {private[0]}, a private, loopback "
                               "or link-local address (a watch may set allow_private_addresses or private_hosts)")
    return addresses


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _connect(addresses: list[str], port: int, timeout: float) -> socket.socket:
    error = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout=timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address")


# --- Atom ---------------------------------------------------------------------------

def write_feed(path: Path, feed_id: str, title: str, entries: list[dict]):
    """Write the whole feed to a temporary file, then rename it over the old one: a reader
    (or a crash) never sees half a feed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    updated = max((e["updated"] for e in entries), default=datetime.now(timezone.utc).replace(
        microsecond=0).isoformat())
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(digest.atom_feed(feed_id, title, updated, entries), encoding="utf-8")
    os.replace(tmp, path)


# --- email ----------------------------------------------------------------------------

class _SMTP(smtplib.SMTP):
    """smtplib.SMTP connecting to the checked addresses (TLS still verifies the host name)."""
    addresses: list[str] = []

    def _get_socket(self, host, port, timeout):
        return _connect(self.addresses, port, timeout)


class _SMTP_SSL(smtplib.SMTP_SSL):  # noqa: N801 - smtplib's naming
    addresses: list[str] = []

    def _get_socket(self, host, port, timeout):
        sock = _connect(self.addresses, port, timeout)
        return self.context.wrap_socket(sock, server_hostname=self._host)


def email_message(channel, message: dict, items: list[dict]) -> EmailMessage:
    """The digest as a plain text and an HTML part; its Message-ID is the message's uid, so
    a resend after a crash is the same email to a mail client."""
    mail = EmailMessage()
    mail["Subject"] = digest.subject(message, items)
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.to)
    created = datetime.fromisoformat(message["created_at"])
    mail["Date"] = format_datetime(created)
    mail["Message-ID"] = f"<{message['uid']}.{channel.id}@newsmon.invalid>"
    mail["X-Newsmon-Watch"] = message["watch"]
    mail.set_content(digest.text_body(message, items, channel.max_items))
    mail.add_alternative(digest.html_body(message, items, channel.max_items), subtype="html")
    return mail


def send_email(channel, message: dict, items: list[dict], allow_private: bool, private_hosts=(),
               env=None):
    secret = Secrets(channel, env)
    where = f"SMTP {channel.host}:{channel.port}"
    addresses = checked_addresses(channel.host, channel.port, allow_private, private_hosts)
    mail = email_message(channel, message, items)
    context = ssl.create_default_context()
    cls = _SMTP_SSL if channel.tls == "ssl" else _SMTP
    kwargs = {"context": context} if channel.tls == "ssl" else {}
    try:
        smtp = type("SMTP", (cls,), {"addresses": addresses})(timeout=channel.timeout, **kwargs)
        smtp._host = channel.host  # what TLS checks the certificate against (smtplib sets it only in __init__)
        try:
            smtp.connect(channel.host, channel.port)
            if channel.tls == "starttls":
                smtp.starttls(context=context)
            if secret.get("username"):
                smtp.login(secret.get("username"), secret.get("password"))
            refused = smtp.send_message(mail)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    except smtplib.SMTPAuthenticationError as exc:
        raise ChannelError(secret.redact(f"{where}: login refused ({exc.smtp_code})")) from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise ChannelError(secret.redact(f"{where}: {type(exc).__name__}: {_one_line(exc)}")) from None
    if refused:  # the others have it: sending again would give them a second copy
        logger.warning("%s: some recipients refused: %s", where, ", ".join(sorted(refused)))


# --- webhook ----------------------------------------------------------------------------

def webhook_request(channel, message: dict, items: list[dict], secret: Secrets) -> tuple[bytes, dict]:
    body = json.dumps(digest.webhook_body(message, items, channel.format, channel.max_items),
                      ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "X-Newsmon-Delivery": message["uid"]}
    if secret.get("secret"):
        mac = hmac.new(secret.get("secret").encode("utf-8"), body, hashlib.sha256).hexdigest()
        headers["X-Newsmon-Signature-256"] = f"sha256={mac}"
    return body, headers


def send_webhook(channel, message: dict, items: list[dict], allow_private: bool, private_hosts=(),
                 env=None, sleep=time.sleep):
    """POST the message; tried up to ``channel.retries`` times, waiting longer each time (and
    as long as a 429 or 503's Retry-After asks, within reason). Redirects are not followed."""
    secret = Secrets(channel, env)
    url = secret.get("url") or channel.url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ChannelError(f"channel {channel.id}: the webhook address is not an http(s) URL")
    if secret.get("url") and len(parts.path) > 3:
        secret.values["url_path"] = parts.path  # some errors quote the path alone
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # The address is named without its path: a Slack webhook's path is its password.
    where = f"webhook {parts.scheme}://{_netloc(parts.hostname, port)}"
    addresses = checked_addresses(parts.hostname, port, allow_private, private_hosts)
    body, headers = webhook_request(channel, message, items, secret)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    error, wait, tries = None, WEBHOOK_BACKOFF, 0
    for attempt in range(channel.retries):
        tries += 1
        if attempt:
            sleep(min(wait, 60.0))
            wait *= 2
        try:
            status, retry_after = _post(parts, port, addresses, path, body, headers, channel.timeout)
        except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
            error = f"{where}: {type(exc).__name__}: {_one_line(exc)}"
            continue
        if 200 <= status < 300:
            return
        error = f"{where}: HTTP {status}"
        if 300 <= status < 400:
            raise ChannelError(error + " (a redirect; not followed)")
        if status not in (408, 425, 429) and status < 500:
            break  # the receiver refuses this request: the same again would be refused
        wait = max(wait, retry_after or 0)  # the receiver said when to come back
    raise ChannelError(secret.redact(error + (f" after {tries} tries" if tries > 1 else "")))


def _post(parts, port, addresses, path, body, headers, timeout) -> tuple[int, float | None]:
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def connect():
        # The checked address, not a fresh lookup; HTTPS still verifies the host name.
        conn.sock = _connect(addresses, port, timeout)
        if parts.scheme == "https":
            conn.sock = conn._context.wrap_socket(conn.sock, server_hostname=parts.hostname)

    conn.connect = connect
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(65536)
        return response.status, _retry_after(response.getheader("Retry-After"))
    finally:
        conn.close()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError, IndexError):
        return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
