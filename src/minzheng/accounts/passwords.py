"""Password complexity (等保 2.0): length and at least three character classes."""

import string

from django.core.exceptions import ValidationError

MIN_LENGTH = 10
MIN_CLASSES = 3


class ComplexityValidator:
    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < MIN_LENGTH:
            errors.append(ValidationError(f"密码至少需要{MIN_LENGTH}个字符。", code="too_short"))
        classes = sum(
            any(ch in group for ch in password)
            for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
        ) + any(not ch.isalnum() for ch in password)
        if classes < MIN_CLASSES:
            errors.append(
                ValidationError(
                    "密码需包含大写字母、小写字母、数字、特殊符号中的至少三类。",
                    code="too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return f"至少{MIN_LENGTH}个字符，包含大写字母、小写字母、数字、特殊符号中的至少三类。"
