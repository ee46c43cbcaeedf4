"""Emailing the digest: the only SMTP code in newswatch.

One message per digest with a plain-text part (the Markdown) and an HTML alternative (the
standalone page), so every mail client shows something readable. The subject is built from
the date and counts only, never from feed text, so a hostile headline cannot inject headers.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ..config import EmailConfig
from ..errors import MailError

TIMEOUT = 30.0  # seconds for connecting and for each SMTP command


def build_message(cfg: EmailConfig, subject: str, text: str, html: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = cfg.sender
    msg["To"] = ", ".join(cfg.to)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rsplit("@", 1)[-1])
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def send(cfg: EmailConfig, subject: str, text: str, html: str) -> None:
    """Send one digest. Raises MailError with one line saying what failed."""
    password = None
    if cfg.password_env:
        password = os.environ.get(cfg.password_env)
        if not password:
            raise MailError(f"digest.email: the environment variable {cfg.password_env} is not set "
                            "(it should hold the SMTP password)")
    msg = build_message(cfg, subject, text, html)
    context = ssl.create_default_context()
    try:
        if cfg.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT)
        with smtp:
            if cfg.security == "starttls":
                smtp.starttls(context=context)
            if cfg.user and password:
                smtp.login(cfg.user, password)
            smtp.send_message(msg)
    except smtplib.SMTPException as exc:
        raise MailError(f"SMTP {cfg.host}:{cfg.port}: {exc}") from None
    except (OSError, ssl.SSLError) as exc:
        raise MailError(f"cannot reach SMTP {cfg.host}:{cfg.port}: {exc}") from None
