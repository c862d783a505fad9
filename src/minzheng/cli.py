"""The `minzheng` console script: Django's management commands with friendlier names.

    minzheng serve | migrate | demo | createuser | audit-verify | generate-secrets | ...

Any Django command works too (`minzheng shell`, `minzheng check --deploy`); hyphens in the
command name become underscores.
"""

import os
import sys

ALIASES = {"serve": "serve", "createuser": "createuser"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"配置错误：{exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
