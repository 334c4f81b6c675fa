"""The Chinese edition's catalogues: complete, current, and faithful to the markup of the English.

The messages are extracted afresh from the English sources (Sphinx's gettext builder) and
compared with locales/zh_CN/LC_MESSAGES/*.po. Run `make translations` after an English change;
these tests fail until every new or changed message is translated.
"""
import pathlib
import re
import subprocess
import sys
from collections import Counter

import pytest
from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
# The themes' strings that the book translates itself (tools/sphinx_book_editions.py); the
# other catalogues are the pages'.
THEME_CATALOGS = {"sphinx", "booktheme"}
THEME_PO = sorted(LOCALE / f"{name}.po" for name in THEME_CATALOGS)
PO_FILES = sorted(p for p in LOCALE.rglob("*.po") if p not in THEME_PO)

# Markup that a translation must carry over unchanged: inline code, math, MyST roles with
# their targets, link targets, and substitutions. The text around them is translated.
MARKUP = [
    # {cite:p}`key`, {doc}`path`, {term}`text <target>`: a role starts a word (so `{kind}_l{layer}`
    # inside code is not one); with an explicit title only the role and its target count.
    re.compile(r"(?<![A-Za-z0-9_`}])\{[a-z][\w:.-]*\}`[^`]*`"),
    re.compile(r"``[^`]+``|`[^`]+`"),             # inline code
    re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S),   # math
    re.compile(r"\]\(([^)\s]+)\)"),               # the target of [text](target)
    re.compile(r"\{\{[^}]+\}\}"),                 # substitutions
]
CJK = re.compile(r"[\u4e00-\u9fff]")
# A message is re-parsed as Markdown on its own: a translation that starts like a list item or
# a heading ("1. 单层") becomes one, and Sphinx then silently keeps the English. Escape it: "1\\.".
BLOCK_START = re.compile(r"^(\d+[.)]\s|[-*+]\s|#|>)")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _token(match: re.Match) -> str:
    token = match.group(0)
    role = re.fullmatch(r"(\{[^}]+\})`(?:[^`<]*<([^`>]+)>|([^`]*))`", token)
    if role:  # {term}`隐藏状态 <hidden state>` carries the same target as {term}`hidden state`
        return f"{role.group(1)}`{(role.group(2) or role.group(3)).strip()}`"
    return token


def markup(text: str) -> Counter:
    found = Counter()
    for pattern in MARKUP:
        for m in pattern.finditer(text):
            found[_token(m)] += 1
        text = pattern.sub(" ", text)
    return found


def prose(text: str) -> str:
    for pattern in MARKUP:
        text = pattern.sub(" ", text)
    return text


def load(path):
    with open(path, "rb") as f:
        return read_po(f, locale="zh_CN")


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Fresh .pot files from the English sources."""
    out = tmp_path_factory.mktemp("gettext")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py"), "--gettext",
                           "--path-output", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    pot_dir = out / "_build" / "gettext"
    return {p.relative_to(pot_dir).with_suffix("").as_posix(): p for p in pot_dir.rglob("*.pot")}


def test_every_page_has_a_catalogue(templates):
    have = {p.relative_to(LOCALE).with_suffix("").as_posix() for p in PO_FILES}
    assert have == set(templates), (f"missing: {sorted(set(templates) - have)}, "
                                    f"stale: {sorted(have - set(templates))}; run make translations")


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_catalogue_is_current(po, templates):
    name = po.relative_to(LOCALE).with_suffix("").as_posix()
    assert name in templates, f"{name}.po has no page; run make translations"
    with open(templates[name], "rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    catalog = load(po)
    have = {m.id for m in catalog if m.id}
    missing, stale = sorted(wanted - have), sorted(have - wanted)
    assert not missing and not stale, (f"{name}.po is stale against the sources (run make "
                                       f"translations): new {missing[:3]}, gone {stale[:3]}")
    assert not catalog.obsolete, f"{name}.po keeps obsolete (#~) entries"


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_every_message_translated_and_faithful(po):
    catalog = load(po)
    assert not catalog.fuzzy, f"{po.name}: the header is marked fuzzy"
    problems = []
    for m in catalog:
        if not m.id:
            continue
        where = f"{m.id[:70]!r}"
        if not m.string:
            problems.append(f"untranslated: {where}")
            continue
        if m.fuzzy:
            problems.append(f"fuzzy: {where}")
        if markup(m.id) != markup(m.string):
            lost = markup(m.id) - markup(m.string)
            added = markup(m.string) - markup(m.id)
            problems.append(f"markup changed in {where}: lost {dict(lost)}, added {dict(added)}")
        if BLOCK_START.match(m.string) and not BLOCK_START.match(m.id):
            problems.append(f"starts like a list item or heading, so Sphinx drops it: {m.string[:40]!r}")
        if ENGLISH_WORD.search(prose(m.id)) and not CJK.search(m.string):
            problems.append(f"not Chinese: {where} -> {m.string[:70]!r}")
    assert not problems, f"{len(problems)} problem(s) in {po.name}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("po", THEME_PO, ids=lambda p: p.name)
def test_theme_strings_are_translated_and_used(po):
    """Each theme string is translated, and is a string the themes or the book's templates use."""
    import pydata_sphinx_theme
    import sphinx
    import sphinx_book_theme

    sources = ""
    for package in (sphinx, pydata_sphinx_theme, sphinx_book_theme):
        root = pathlib.Path(package.__file__).parent
        sources += "".join(p.read_text(errors="replace") for p in root.rglob("*")
                           if p.suffix in (".py", ".html") and "tests" not in p.parts)
    sources += "".join(p.read_text() for p in (ROOT / "tools" / "templates").glob("*.html"))
    catalog = load(po)
    assert not catalog.fuzzy
    for m in catalog:
        if m.id:
            assert m.string and CJK.search(m.string), f"{po.name}: {m.id!r} untranslated"
            assert re.search(r"""(_|translate|translation)\(\s*["']%s["']""" % re.escape(m.id), sources), \
                f"{po.name}: {m.id!r} is not a translatable string of the themes or templates"


def test_book_title_is_the_translated_title_of_the_first_page():
    sys.path.insert(0, str(ROOT / "tools"))
    from sphinx_book_editions import EDITIONS

    intro = {m.id: m.string for m in load(LOCALE / "intro.po") if m.id}
    for code, edition in EDITIONS.items():
        if edition["title"]:
            title = intro["LSTMs, from `nn.LSTM` to first principles"]
            assert edition["title"] == title.replace("`", ""), (code, edition["title"], title)


def test_checks_can_fail():
    """The markup check sees a dropped code span, a changed formula and a changed citation."""
    src = "Use `h_n[-1]` with $H = 3$ as in {cite:t}`hochreiter1997lstm` and [torch](https://x.y)."
    assert markup(src) == markup("用 `h_n[-1]`，$H = 3$，见 {cite:t}`hochreiter1997lstm` 与 [torch](https://x.y)。")
    assert markup(src) != markup("用 `h_n`，$H = 3$，见 {cite:t}`hochreiter1997lstm` 与 [torch](https://x.y)。")
    assert markup(src) != markup("用 `h_n[-1]`，$H=3$，见 {cite:t}`hochreiter1997lstm` 与 [torch](https://x.y)。")
    assert markup(src) != markup("用 `h_n[-1]`，$H = 3$，见 {cite:p}`hochreiter1997lstm` 与 [torch](https://x.y)。")
    assert markup(src) != markup("用 `h_n[-1]`，$H = 3$，见 {cite:t}`hochreiter1997lstm` 与 [torch](https://z)。")
    assert BLOCK_START.match("1. 单层") and not BLOCK_START.match("1\\. 单层")
    # A glossary link may get a translated title, but not another target.
    assert markup("the {term}`hidden state`") == markup("{term}`隐藏状态 <hidden state>`")
    assert markup("the {term}`hidden state`") != markup("{term}`隐藏状态 <cell state>`")
    assert markup("see {term}`cell state`") == markup("见{term}`细胞状态 <cell state>`")
    # Braces inside code are code, not a role.
    assert markup("`{kind}_l{layer}` plus `_reverse`") == markup("`{kind}_l{layer}` 加上 `_reverse`")
