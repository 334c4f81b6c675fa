"""The widgets speak the reader's language: one label table per language, every key used and
defined, Chinese on a zh-CN page and English on an en page, with the same numbers in both.

The tables are lstm_ref/widgets/labels/<lang>.json; BookWidget puts them all into the synced
``labels`` trait, and the JavaScript picks one from ``<html lang>`` (or the ``language`` trait).
"""
import collections
import json
import pathlib
import re

import pytest

from lstm_ref.style import GATE_NAMES
from lstm_ref.widgets._base import LANGUAGES, load_labels
from widget_cases import NAMES, act, make

WIDGETS = pathlib.Path(__file__).resolve().parents[1] / "lstm_ref" / "widgets"
TABLES = load_labels()
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# The lookups of the JavaScript: t("group.key", ...) or t_(`group.${...}`, ...).
LOOKUP = re.compile(r"""\bt_?\(\s*(?:"([^"]+)"|`([^`]+)`)""")


def flat(table):
    return {f"{g}.{k}": v for g, keys in table.items() for k, v in keys.items()}


def js_lookups():
    """(literal keys, patterns for template keys) over every widget's JavaScript."""
    literal, patterns = set(), set()
    for js in sorted(WIDGETS.glob("*.js")):
        src = re.sub(r"^\s*//.*$", "", js.read_text(), flags=re.M)  # whole-line comments
        for m in LOOKUP.finditer(src):
            if m.group(1):
                literal.add(m.group(1))
            else:
                parts = re.split(r"\$\{[^}]*\}", m.group(2))
                patterns.add("^" + "[A-Za-z0-9_]+".join(map(re.escape, parts)) + "$")
    return literal, patterns


def test_every_language_has_exactly_the_same_keys_and_placeholders():
    en = flat(TABLES["en"])
    for lang in LANGUAGES:
        table = flat(TABLES[lang])
        assert set(table) == set(en), f"{lang}: missing {set(en) - set(table)}, extra {set(table) - set(en)}"
        for key, text in table.items():
            assert isinstance(text, str) and text.strip(), f"{lang}: {key} is empty"
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(en[key])), f"{lang}: {key}"


def test_the_chinese_table_is_chinese_and_uses_the_books_terms():
    zh = flat(TABLES["zh_CN"])
    assert [zh[f"shared.gate_{k}"] for k in "ifgochx"] == ["输入门", "遗忘门", "候选值", "输出门", "细胞状态",
                                                           "隐藏状态", "输入"]
    assert (zh["shared.forward"], zh["shared.reverse"]) == ("正向", "反向")
    every = "".join(zh.values())
    for term in ("双向", "层", "方向", "时间步", "批大小", "序列长度", "隐藏层维度", "输入特征维度", "投影", "填充",
                 "打包", "遗忘门偏置"):
        assert term in every, term
    # The English gate names of Python (style.GATE_NAMES) are the table's.
    assert GATE_NAMES == {k: TABLES["en"]["shared"][f"gate_{k}"] for k in GATE_NAMES}


def test_every_key_the_javascript_looks_up_exists_and_every_key_is_used():
    literal, patterns = js_lookups()
    keys = set(flat(TABLES["en"]))
    assert literal, "found no label lookups in the JavaScript"
    assert literal <= keys, f"looked up but not in the tables: {literal - keys}"
    for p in patterns:
        assert any(re.match(p, k) for k in keys), f"no key matches the lookup pattern {p}"
    unused = {k for k in keys if k not in literal and not any(re.match(p, k) for p in patterns)}
    assert not unused, f"in the tables but never used by the JavaScript: {unused}"


def test_each_widget_carries_every_language_of_its_own_and_the_shared_group():
    for name in NAMES:
        w = make(name)
        assert set(w.labels) == set(LANGUAGES)
        for lang in LANGUAGES:
            assert w.labels[lang] == {g: TABLES[lang][g] for g in ("shared", name)}, (name, lang)
        assert w.language == ""
    with pytest.raises(Exception, match="language must be one of"):
        make("gate_explorer", language="fr")


# ----- in Chromium --------------------------------------------------------------------

# Words allowed in the Chinese edition: code and math names (tensors, modules, functions).
# nn.LSTM's argument names stay as they are in code (the Chinese label comes first: 双向
# bidirectional), and so do the names of keys (Tab).
CODE_WORDS = {"LSTM", "RNN", "tanh", "nn", "torch", "output", "input", "hr", "ih", "hh", "True", "False",
              "bidirectional", "bias", "Tab"}
WORD = re.compile(r"(?<![0-9.])[A-Za-z][A-Za-z0-9_.]*")
NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def english_words(texts):
    """The words of ``texts`` that are English prose: 2+ letters, not a code name (no _ or .)."""
    words = []
    for text in texts:
        for w in WORD.findall(text):
            w = w.rstrip(".")
            if len(w) >= 2 and "_" not in w and "." not in w and w not in CODE_WORDS:
                words.append(w)
    return words


def shown_labels(table, name, joined):
    """The label texts of the widget's own group without placeholders that occur in ``joined``,
    and all of them."""
    plain = [v for v in table[name].values()
             if not PLACEHOLDER.search(v) and "<" not in v and len(v.strip()) > 1]
    return [v for v in plain if v in joined], plain


def numbers(texts):
    return collections.Counter(n.replace("−", "-") for t in texts for n in NUMBER.findall(t))


def snapshot(page):
    from widget_harness import texts
    out = texts(page)
    return out["text"], out["code"]


@pytest.mark.parametrize("name", NAMES)
def test_rendered_in_chinese_and_in_english_with_the_same_numbers(browser, tmp_path, name):
    from widget_harness import rendered

    w = make(name)
    seen = {}
    for lang in ("en", "zh-CN"):
        with rendered(browser, w, tmp_path, lang=lang) as page:
            assert page.locator("#root").get_attribute("lang") == lang
            first = snapshot(page)
            act(page, name)
            second = snapshot(page)
        seen[lang] = (first, second)
    for k, state in enumerate(("as rendered", "after an action")):
        en_text, en_code = seen["en"][k]
        zh_text, zh_code = seen["zh-CN"][k]
        # Chinese page: Chinese text, no English prose outside code.
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in zh_text), f"{name} {state}: no Chinese text"
        assert not english_words(zh_text), f"{name} {state}: English on the zh-CN page: {set(english_words(zh_text))}"
        # English page: no Chinese at all, and the English labels are the ones shown.
        assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in en_text + en_code), f"{name} {state}"
        # The same numbers, the same code, in both.
        assert numbers(en_text + en_code) == numbers(zh_text + zh_code), f"{name} {state}: numbers differ"
        assert en_code == zh_code, f"{name} {state}: code differs"
    for lang, table in (("en", TABLES["en"]), ("zh-CN", TABLES["zh_CN"])):
        joined = "\n".join(seen[lang][0][0] + seen[lang][1][0])
        found, plain = shown_labels(table, name, joined)
        assert len(found) >= 0.6 * len(plain), f"{name} {lang}: only {found} of {plain} shown"


@pytest.mark.parametrize("lang, trait, want_chinese", [("en", "zh_CN", True), ("zh-CN", "en", False),
                                                       ("zh", "", True), ("zh-Hans", "", True),
                                                       ("fr", "", False), ("", "", False)])
def test_page_language_and_the_language_trait(browser, tmp_path, lang, trait, want_chinese):
    from widget_harness import rendered, texts

    w = make("packing_explorer", language=trait)
    with rendered(browser, w, tmp_path, lang=lang) as page:
        shown = texts(page)["text"]
        has_chinese = any(re.search(r"[\u4e00-\u9fff]", t) for t in shown)
        assert has_chinese == want_chinese, (lang, trait, shown[:5])
        # Switching the trait redraws in the other language, with the same data.
        before = numbers(texts(page)["text"])
        page.evaluate("(v) => window.widgetModel.set('language', v)", "en" if want_chinese else "zh_CN")
        after = texts(page)["text"]
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in after) == (not want_chinese)
        assert numbers(after) == before
        assert page.locator(".lstm-widget").count() == 1 and page.locator("#root > style").count() == 1
