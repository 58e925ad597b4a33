"""The one tree of every failure a caller may handle, on the server and the tablet alike.

Each error is a class with a stable ``code`` that programs switch on, a message in
Vietnamese and in English that people read, and a docstring that says what it means
(``docs/errors.md`` is generated from the tree). ``extra`` carries facts (a field name,
attempts left …).

Every concrete error sits under one *category* below (not found, forbidden, conflict,
invalid, unavailable …). The category decides what a client does with it: the server
maps a category to an HTTP status in one table (``server.errors.STATUS``), and the
websocket's ``error`` message means the same as the category says in ``on_socket``.
The same mistake therefore has the same code over REST and over the websocket.

A class is registered under its ``code`` when it is defined, so an error named only by
its code (``CommandRejected("not_chair")``) is still raised as its own class
(``by_code``). Bases that are never raised themselves say ``abstract=True``.
"""

from __future__ import annotations

from typing import Any, ClassVar

_REGISTRY: dict[str, type[BilingualError]] = {}


class BilingualError(Exception):
    """Something went wrong; no more is known (the root: never raised on purpose)."""

    code: str = "error"
    message_vi: str = "Đã xảy ra lỗi."
    message_en: str = "Something went wrong."
    is_category: ClassVar[bool] = False
    is_abstract: ClassVar[bool] = False
    on_socket: ClassVar[str] = "The server failed; nothing is known to have changed."

    def __init_subclass__(cls, *, category: bool = False, abstract: bool = False,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.is_category = category
        cls.is_abstract = abstract
        own_code = cls.__dict__.get("code")
        if isinstance(own_code, str) and not abstract:
            _REGISTRY.setdefault(own_code, cls)

    def __init__(
        self,
        message_vi: str | None = None,
        message_en: str | None = None,
        **extra: Any,
    ) -> None:
        if message_vi is not None:
            self.message_vi = message_vi
        if message_en is not None:
            self.message_en = message_en
        self.extra = extra
        detail = ", ".join(f"{k}={v!r}" for k, v in extra.items())
        super().__init__(f"{self.message_en} ({detail})" if detail else self.message_en)

    @classmethod
    def category(cls) -> type[BilingualError]:
        """The nearest category above (or at) this class; the root when there is none."""
        for klass in cls.__mro__:
            if isinstance(klass, type) and issubclass(klass, BilingualError) \
                    and klass.__dict__.get("is_category"):
                return klass
        return BilingualError


def by_code(code: str) -> type[BilingualError] | None:
    """The class registered under ``code`` (the first defined), or None."""
    return _REGISTRY.get(code)


def category_of(error: BilingualError) -> type[BilingualError]:
    """The category of an error; one that carries another class's ``code`` (a wrapper such
    as the server's ``CommandRefused``) has the category of the class of that code."""
    own = type(error).category()
    if error.code == type(error).code and own is not BilingualError:
        return own
    found = _REGISTRY.get(error.code)
    return found.category() if found is not None else own


def registered() -> dict[str, type[BilingualError]]:
    """Every code and its class, as defined so far (import the modules first)."""
    return dict(_REGISTRY)


def narrowest(cls: type[BilingualError], code: str) -> type[BilingualError]:
    """The registered class for ``code`` if it is a ``cls``; else ``cls`` itself.

    Lets ``SomeBase(code)`` build the error's own class, so ``except NotChair`` and the
    category work for an error that was named by its code alone."""
    found = _REGISTRY.get(code)
    return found if found is not None and issubclass(found, cls) else cls


# --- categories ----------------------------------------------------------------------


class Unauthenticated(BilingualError, category=True):
    """The caller is not signed in, or its credential is wrong, expired or revoked."""

    code = "not_authenticated"
    message_vi = "Bạn cần đăng nhập."
    message_en = "You need to sign in."
    on_socket = ("Refused, nothing changed; sign in again (or fetch new credentials) "
                 "before resending.")


class Forbidden(BilingualError, category=True):
    """The caller is known but may not do this."""

    code = "forbidden"
    message_vi = "Bạn không có quyền thực hiện thao tác này."
    message_en = "You are not allowed to do this."
    on_socket = "Refused, nothing changed; resending will not help."


class NotFound(BilingualError, category=True):
    """What was asked for does not exist, or the caller may not know that it exists."""

    code = "not_found"
    message_vi = "Không tìm thấy."
    message_en = "Not found."
    on_socket = "Refused, nothing changed; the thing named does not exist."


class Gone(NotFound, category=True):
    """It existed, but is used up or expired for good."""

    code = "gone"
    message_vi = "Không còn hiệu lực."
    message_en = "No longer valid."
    on_socket = "Refused, nothing changed; it will not come back."


class Conflict(BilingualError, category=True):
    """The request is well formed but the current state does not allow it."""

    code = "conflict"
    message_vi = "Xung đột với dữ liệu hiện có."
    message_en = "This conflicts with existing data."
    on_socket = ("Refused, nothing changed; the state has moved on (another vote is open, "
                 "the sitting is closed …): look at the state, then decide again.")


class Invalid(BilingualError, category=True):
    """What was sent cannot be accepted as it is (a missing field, a bad value …)."""

    code = "invalid"
    message_vi = "Dữ liệu gửi lên không hợp lệ."
    message_en = "The submitted data is not valid."
    on_socket = "Refused, nothing changed; the same message will be refused again."


class BadRequest(Invalid, category=True):
    """The request cannot even be read (not JSON, not the expected shape)."""

    code = "bad_request"
    message_vi = "Yêu cầu không hợp lệ."
    message_en = "The request is not valid."
    on_socket = "Refused, nothing changed; the same message will be refused again."


class TooLarge(Invalid, category=True):
    """What was sent is larger than the limit."""

    code = "too_large_request"
    message_vi = "Dữ liệu gửi lên quá lớn."
    message_en = "What was sent is too large."
    on_socket = "Refused, nothing changed; send less."


class Unsupported(Invalid, category=True):
    """What was sent is of a kind or version this side does not handle."""

    code = "unsupported"
    message_vi = "Định dạng không được hỗ trợ."
    message_en = "This format is not supported."
    on_socket = "Refused; the app and the server do not speak the same version."


class Throttled(BilingualError, category=True):
    """Too many attempts in a short time; try again later."""

    code = "throttled"
    message_vi = "Quá nhiều yêu cầu; hãy thử lại sau giây lát."
    message_en = "Too many requests; try again in a moment."
    on_socket = "Dropped, nothing changed; resend the same command (same key) a little later."


class Unavailable(BilingualError, category=True):
    """The other side cannot be reached or cannot answer now; nothing was decided."""

    code = "unavailable"
    message_vi = "Dịch vụ tạm thời không sẵn sàng; hãy thử lại sau."
    message_en = "The service is not available now; try again later."
    on_socket = "Not done; try again later with the same key."


class Internal(BilingualError, category=True):
    """A failure on the other side that the caller can do nothing about but report."""

    code = "internal"
    message_vi = "Đã xảy ra lỗi ngoài ý muốn."
    message_en = "Something went wrong."
    on_socket = "Unknown whether it was done; resend the same command (same key) to find out."


CATEGORIES: tuple[type[BilingualError], ...] = (
    Unauthenticated, Forbidden, NotFound, Gone, Conflict, Invalid, BadRequest, TooLarge,
    Unsupported, Throttled, Unavailable, Internal,
)
