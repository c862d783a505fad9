"""Asserting a refusal by its code, never by its message text (messages may be reworded)."""

import pytest

from minzheng.kit.errors import DomainError, ErrorCode


def refused(code: ErrorCode):
    """`with refused(Error.X): …` passes only when the block raises the domain error `code`."""
    return pytest.raises(DomainError, check=lambda exc: exc.error_code is code)
