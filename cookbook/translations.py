"""Translated pages: a page ``x.zh.md`` is the Simplified Chinese edition of ``x.md``.

The code of a recipe exists once in meaning: a translated page must show exactly the same Python blocks
and output blocks, in the same order, as its English page, so that the English page's verification covers
it. Only the prose (and the ``description:``) is translated.
"""

from __future__ import annotations

from .page import LANGUAGES, Page

__all__ = ["LANGUAGES", "UI_TEXT", "translation_differences"]

#: The words the site's plugin (cookbook.site) adds to pages, per language ("en" is the default).
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
        "notebook top to bottom with the versions named on the page reproduces them.",
        "notebook_data": "Put the data files this notebook reads next to it first: {files} (download them from the page).",
        "download": "Download {name}",
        # The version matrix (cookbook/site/version_matrix.py).
        "runs_on": "Runs on TensorFlow:",
        "mark_passed_blocks": "TensorFlow {version}: all {ran} code blocks print what the page shows",
        "mark_failed_blocks": "TensorFlow {version}: {passed} of {ran} code blocks print what the page shows; see what differs",
        "mark_passed_recipes": "TensorFlow {version}: all {ran} recipes print what the page shows",
        "mark_failed_recipes": "TensorFlow {version}: {passed} of {ran} recipes print what the page shows; see what differs",
        "recipe_differs": "Does not print what the page shows on TensorFlow {versions}.",
        "recipe_tab_differs": "The “{tab}” tab does not print what the page shows on TensorFlow {versions}.",
        "recipe_mark_title": "What it did on TensorFlow {version}",
        # Another wording of a message an output block shows, printed on other versions (make matrix).
        "older_message": "On {versions} this message reads:",
        "older_messages": "On {versions} these messages read:",
        "older_versions_numbered": "TensorFlow {spans}",
        "older_versions_nightly": "the nightly",
        "older_versions_and": " and ",
        "older_in_index": " (on {versions})",
        "partly_outdated": "out of date for {versions}: the page changed after they ran",
        "partly_missing": "not run on {versions}",
        "outdated": "the version matrix is out of date for this page: its text changed after the last run of "
        "<code>make matrix</code> (the [version matrix]({link}) shows that run).",
        "not_in_matrix": "this page was not part of the last run of <code>make matrix</code>.",
        "no_matrix": "no run of <code>make matrix</code> is on record.",
        "all_versions": "all versions",
        "matrix_last_run": "Run on {date}, on {cores} cores ({cpu}), {system}, Python {python}; each version in an "
        "environment of its own, installed from <code>matrix/locks/&lt;version&gt;.txt</code> (install: the time "
        "to make it, 0 s when it was reused; run: checking its versions and <code>pytest docs/</code>). In the grid, "
        "✓ 26 means that all 26 code blocks that ran printed what the page shows.",
        "matrix_versions_header": "| TensorFlow | Keras | tf-keras | NumPy | pandas | install + run "
        "| blocks passed · differ · error |",
        "matrix_grid_page": "page",
        "matrix_grid_all": "all pages",
        "matrix_cell_outdated": "out of date",
        "matrix_cell_missing": "not run",
        "matrix_failures_header": "| page | line | recipe | what happened |",
        "matrix_no_failures": "Every code block printed what its page shows.",
        "matrix_not_run": "This version is not in the last matrix run: <code>make matrix VERSIONS={version}</code> runs it.",
        "matrix_differs": "shows {expected}, prints {got}",
        "matrix_changed_since": "(the page changed after this run)",
        "matrix_none": "No run of <code>make matrix</code> is on record (<code>matrix/results.json</code> is missing "
        "or empty): run <code>make matrix</code> to fill this page.",
        "apis_used": "APIs used:",
        "list_separator": ", ",
        "api_used_in": "Used in:",
        "api_setup": "setup",
        "api_reference": "reference on {site}",
        "api_modules": "Modules:",
        "error_types": "Types:",
        "error_type_only": "the type alone, without its message",
        "copy_with_setup": "Copy with setup",
        "copy_with_setup_title": "Copy the page's setup block followed by this recipe's code: a script that runs on its own",
        "search_dialog": "Search",
        "stale_title": "The English page has changed since this translation",
        "stale_body": 'The prose of the <a href="{english}">English page</a> changed after '
        "this translation was made: this page may not yet say what it says now.",
        "untracked_body": 'This translation records no version of the <a href="{english}">English page</a>.',
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
        "notebook_intro": "来自 TF2 Cookbook。下方的输出就是测试验证过的输出；使用页面上注明的版本从头到尾运行这个笔记本，会得到同样的结果。",
        "notebook_data": "运行前先把本笔记本读取的数据文件放在它旁边：{files}（可从页面下载）。",
        "download": "下载 {name}",
        "runs_on": "适用的 TensorFlow 版本：",
        "mark_passed_blocks": "TensorFlow {version}：全部 {ran} 个代码块的输出与页面一致",
        "mark_failed_blocks": "TensorFlow {version}：{ran} 个代码块中有 {passed} 个的输出与页面一致；点击查看差异",
        "mark_passed_recipes": "TensorFlow {version}：全部 {ran} 个示例的输出与页面一致",
        "mark_failed_recipes": "TensorFlow {version}：{ran} 个示例中有 {passed} 个的输出与页面一致；点击查看差异",
        "recipe_differs": "在 TensorFlow {versions} 上的输出与页面不一致。",
        "recipe_tab_differs": "“{tab}”标签页在 TensorFlow {versions} 上的输出与页面不一致。",
        "recipe_mark_title": "它在 TensorFlow {version} 上的结果",
        "older_message": "在 {versions} 上，这条消息是：",
        "older_messages": "在 {versions} 上，这些消息是：",
        "older_versions_numbered": "TensorFlow {spans}",
        "older_versions_nightly": "nightly 版本",
        "older_versions_and": " 和 ",
        "older_in_index": "（{versions} 上的措辞）",
        "partly_outdated": "{versions} 的结果已过期：页面在它们运行之后改动过",
        "partly_missing": "{versions} 尚未运行本页",
        "outdated": "本页的版本矩阵已过期：页面在最近一次 <code>make matrix</code> 运行之后改动过"
        "（[版本矩阵]({link})显示的是那次运行）。",
        "not_in_matrix": "最近一次 <code>make matrix</code> 运行不包含本页。",
        "no_matrix": "还没有 <code>make matrix</code> 的运行记录。",
        "all_versions": "全部版本",
        "matrix_last_run": "运行于 {date}，{cores} 核（{cpu}），{system}，Python {python}；每个版本各用一个独立环境，"
        "按 <code>matrix/locks/&lt;版本&gt;.txt</code> 安装（安装：创建环境所用的时间，复用环境时为 0 秒；运行：检查版本并运行 "
        "<code>pytest docs/</code> 的时间）。网格中的 ✓ 26 表示运行的 26 个代码块的输出全都与页面一致。",
        "matrix_versions_header": "| TensorFlow | Keras | tf-keras | NumPy | pandas | 安装 + 运行 "
        "| 代码块：通过 · 输出不同 · 出错 |",
        "matrix_grid_page": "页面",
        "matrix_grid_all": "全部页面",
        "matrix_cell_outdated": "已过期",
        "matrix_cell_missing": "未运行",
        "matrix_failures_header": "| 页面 | 行 | 示例 | 结果 |",
        "matrix_no_failures": "每个代码块的输出都与页面一致。",
        "matrix_not_run": "最近一次矩阵运行不包含这个版本：运行 <code>make matrix VERSIONS={version}</code>。",
        "matrix_differs": "页面显示 {expected}，实际打印 {got}",
        "matrix_changed_since": "（页面在这次运行之后改动过）",
        "matrix_none": "还没有 <code>make matrix</code> 的运行记录（<code>matrix/results.json</code> 不存在或为空）："
        "运行 <code>make matrix</code> 来生成本页内容。",
        "apis_used": "用到的 API：",
        "list_separator": "、",
        "api_used_in": "用于：",
        "api_setup": "准备代码",
        "api_reference": "{site} 上的参考文档",
        "api_modules": "模块：",
        "error_types": "类型：",
        "error_type_only": "只显示了类型，没有显示消息",
        "copy_with_setup": "连同准备代码复制",
        "copy_with_setup_title": "复制本页的准备代码和这个示例的代码：得到一个可以单独运行的脚本",
        "search_dialog": "搜索",
        "stale_title": "英文页面在此翻译之后有改动",
        "stale_body": '<a href="{english}">英文页面</a>的说明文字在本译文完成之后有改动，本页可能还没有反映这些改动。',
        "untracked_body": '本译文没有记录它所依据的<a href="{english}">英文页面</a>版本。',
    },
}


def translation_differences(translated: Page, english: Page) -> list[str]:
    """How the blocks of a translated page depart from its English page's (empty if they do not)."""
    problems = []
    if len(translated.blocks) != len(english.blocks):
        problems.append(
            f"{translated.path.name} has {len(translated.blocks)} Python blocks, {english.path.name} has {len(english.blocks)}"
        )
    for number, (mine, original) in enumerate(zip(translated.blocks, english.blocks, strict=False), start=1):
        if mine.code.body != original.code.body:
            problems.append(f"Python block {number} differs from {english.path.name}")
        if (mine.output and mine.output.body) != (original.output and original.output.body):
            problems.append(f"the output of Python block {number} differs from {english.path.name}")
    return problems


def with_english_blocks(translated: Page, english: Page) -> str:
    """The translated page's text with each Python block and its output block replaced by the English
    page's (the prose stays). For authors: after changing an English page's code, run
    ``python -m cookbook.translations docs/<area>/<page>.zh.md``.

    Raises:
        ValueError: if the two pages do not have the same number of Python blocks.
    """
    if len(translated.blocks) != len(english.blocks):
        raise ValueError(
            f"{translated.shown_as} has {len(translated.blocks)} Python blocks and {english.shown_as} has "
            f"{len(english.blocks)}: add or remove blocks in the translation by hand first"
        )
    text = translated.text
    for mine, original in reversed(list(zip(translated.blocks, english.blocks, strict=True))):
        end = (mine.output or mine.code).end
        source_end = (original.output or original.code).end
        replacement = english.text[original.code.start : source_end]
        if mine.code.indent != original.code.indent:
            raise ValueError(
                f"{translated.where(mine.line)} is indented differently from {english.where(original.line)}"
            )
        text = text[: mine.code.start] + replacement + text[end:]
    return text


def main(argv: list[str]) -> int:
    """``python -m cookbook.translations docs/x.zh.md``: copy the English blocks into the translation.
    ``python -m cookbook.translations --mark docs/x.zh.md``: record that the translation is current
    (:mod:`cookbook.freshness`)."""
    from .page import PageLibrary, english_twin

    if argv[:1] == ["--mark"]:
        from .freshness import main as freshness_main

        return freshness_main(argv)
    library = PageLibrary()
    for name in argv:
        translated = library.page(name)
        english = library.page(english_twin(translated.path))
        try:
            text = with_english_blocks(translated, english)
        except ValueError as error:
            print(error)
            return 2
        if text != translated.text:
            translated.path.write_text(text, encoding="utf-8")
            print(f"copied the blocks of {english.shown_as} into {translated.shown_as}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
