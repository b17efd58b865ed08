"""Translated pages: a page ``x.zh.md`` is the Simplified Chinese edition of ``x.md``.

The code of a recipe exists once in meaning: a translated page must show exactly the same Python blocks
and output blocks, in the same order, as its English page, so that the English page's verification covers
it. Only the prose (and the ``description:``) is translated.
"""

from __future__ import annotations

from pathlib import Path

from .snippets import Snippet, snippets_of

LANGUAGES = {"zh": "简体中文"}

#: The words the site's build hooks add to pages, per language ("en" is the default).
UI_TEXT = {
    "en": {
        "verified_title": "Verified with TensorFlow {tensorflow}, Keras {keras} and Python {python}",
        "verified_body": "All {blocks} code blocks on this page ran on {date} and printed the output shown under "
        "them. Check it yourself: <code>{command}</code>.",
        "unverified_title": "Not verified",
        "never_ran": "This version of the page has no test run on record.",
        "failed": "Its last test run failed: {passed} of {blocks} code blocks passed.",
        "differs": "Its code differs from the English page that the tests run.",
        "run_it": "Run <code>{command}</code> to verify it.",
        "notebook": "Download this page as a notebook",
        "table_header": "| area | page | what it shows |",
        "notebook_intro": "From the TF2 Cookbook. The outputs below are the ones its tests verified; running the "
        "notebook top to bottom reproduces them. It needs the cookbook's pinned packages and, for its data "
        "files, the `cookbook` package from the repository.",
    },
    "zh": {
        "verified_title": "已验证：TensorFlow {tensorflow}、Keras {keras}、Python {python}",
        "verified_body": "本页全部 {blocks} 个代码块已于 {date} 运行，打印的结果与每个代码块下方显示的输出一致。"
        "可以自己验证：<code>{command}</code>。",
        "unverified_title": "未验证",
        "never_ran": "本页的这一版本还没有测试运行记录。",
        "failed": "最近一次测试运行失败：{blocks} 个代码块中只有 {passed} 个通过。",
        "differs": "本页代码与测试所运行的英文页面不一致。",
        "run_it": "运行 <code>{command}</code> 来验证。",
        "notebook": "下载本页的 Jupyter 笔记本",
        "table_header": "| 主题 | 页面 | 内容 |",
        "notebook_intro": "来自 TF2 Cookbook。下方的输出就是测试验证过的输出；从头到尾运行这个笔记本会得到同样的结果。"
        "运行它需要 Cookbook 锁定版本的依赖包，读取数据文件还需要仓库中的 `cookbook` 包。",
    },
}


def language_of(path: str | Path) -> str:
    """``"zh"`` for ``page.zh.md``, ``"en"`` for an English page."""
    stem = Path(path).stem
    suffix = stem.rsplit(".", 1)[1] if "." in stem else ""
    return suffix if suffix in LANGUAGES else "en"


def source_page(translated: str | Path) -> Path:
    """The English page that ``x.<language>.md`` translates."""
    translated = Path(translated)
    stem, language = translated.stem.rsplit(".", 1) if "." in translated.stem else (translated.stem, "")
    if language not in LANGUAGES:
        raise ValueError(f"{translated} is not a translated page: expected a name like page.zh.md")
    return translated.with_name(f"{stem}.md")


def code_and_outputs(path: str | Path) -> list[tuple[str, str | None]]:
    """The page's Python blocks and the output blocks under them, as text, in page order."""
    text = Path(path).read_text(encoding="utf-8")
    return [
        (item.code.body, item.output.body if item.output else None)
        for item in snippets_of(str(path), text)
        if isinstance(item, Snippet)
    ]


def translation_differences(translated: str | Path) -> list[str]:
    """How the code of a translated page departs from its English page (empty if it does not)."""
    translated = Path(translated)
    english = source_page(translated)
    if not english.is_file():
        return [f"{translated.name}: no English page {english.name} to translate"]
    ours, theirs = code_and_outputs(translated), code_and_outputs(english)
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"{translated.name} has {len(ours)} Python blocks, {english.name} has {len(theirs)}")
    for number, (mine, original) in enumerate(zip(ours, theirs, strict=False), start=1):  # lengths: above
        if mine[0] != original[0]:
            problems.append(f"Python block {number} differs from {english.name}")
        if mine[1] != original[1]:
            problems.append(f"the output of Python block {number} differs from {english.name}")
    return problems
