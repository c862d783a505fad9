"""Check the zh_Hans catalogue: every message translated, none fuzzy, and the committed .mo
compiled from the committed .po. Run by `make test`; needs GNU gettext's msgfmt."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "src/minzheng/locale/zh_Hans/LC_MESSAGES"


def main() -> int:
    if shutil.which("msgfmt") is None:
        print("SKIPPED translation check: msgfmt not installed (apt-get install gettext)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        compiled = Path(tmp) / "django.mo"
        result = subprocess.run(
            [
                "msgfmt",
                "--check",
                "--statistics",
                "-o",
                str(compiled),
                str(CATALOGUE / "django.po"),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        if "untranslated" in result.stderr or "fuzzy" in result.stderr:
            print(f"zh_Hans catalogue incomplete: {result.stderr.strip()}", file=sys.stderr)
            return 1
        if compiled.read_bytes() != (CATALOGUE / "django.mo").read_bytes():
            print("django.mo is stale: run `make messages`", file=sys.stderr)
            return 1
    print(f"translations: {result.stderr.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
