"""Build the book's editions: English into _build/html/, each translation into _build/html/<lang>/.

    python tools/build_book.py                  # both editions, incremental (make book)
    python tools/build_book.py --strict         # -W -n --keep-going, every page rebuilt
    python tools/build_book.py --gettext        # extract the messages into _build/gettext/

Every edition is built from the same notebooks and the same committed outputs; a translation
only swaps the text, through the gettext catalogues in locales/<lang>/LC_MESSAGES/. This calls
jupyter-book's own Sphinx entry point (what ``jupyter-book build`` runs) with ``language`` set.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sphinx_book_editions import EDITIONS  # noqa: E402  (the one list of editions)


def build(language: str, out: pathlib.Path, *, builder: str = "html", strict: bool = False) -> int:
    from jupyter_book.sphinx import build_sphinx

    edition = EDITIONS[language]
    html = out / "_build" / builder / edition["dir"]
    overrides = {"external_toc_path": (ROOT / "_toc.yml").as_posix(), "language": language,
                 "latex_individualpages": False}
    if strict:
        overrides["nitpicky"] = True
    started = time.perf_counter()
    result = build_sphinx(ROOT, html, noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=overrides, builder=builder,
                          doctreedir=out / "_build" / f".doctrees-{builder}-{language}",
                          warningiserror=strict, keep_going=strict, freshenv=strict,
                          force_all=strict)
    print(f"[{language}] {builder} build: {time.perf_counter() - started:.1f} s -> {html}", flush=True)
    return 1 if isinstance(result, Exception) else int(result or 0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="-W -n --keep-going, all pages")
    parser.add_argument("--gettext", action="store_true", help="extract messages (English sources)")
    parser.add_argument("--path-output", type=pathlib.Path, default=ROOT,
                        help="where _build/ goes (default: the book's folder)")
    parser.add_argument("--languages", nargs="+", default=list(EDITIONS), choices=list(EDITIONS))
    args = parser.parse_args(argv)
    out = args.path_output.resolve()
    if args.gettext:
        status = build("en", out, builder="gettext", strict=args.strict)
        # sphinx.pot holds the strings of the HTML templates, not of the pages; the book's few
        # translations of theme strings are kept by hand in locales/<lang>/LC_MESSAGES/sphinx.po,
        # which sphinx-intl must not rewrite from it.
        (out / "_build" / "gettext" / "sphinx.pot").unlink(missing_ok=True)
        return status
    status = 0
    for language in args.languages:
        status |= build(language, out, strict=args.strict)
    return status


if __name__ == "__main__":
    sys.exit(main())
