"""The output comparison rules of cookbook.compare."""

import pytest

from cookbook.compare import compare_output, numbers_agree, tokenize


def test_identical_outputs_agree():
    assert compare_output("dz/dx = 108.0\n", "dz/dx = 108.0\n") is None


def test_whitespace_is_normalised():
    assert compare_output("[[1. 2.]\n [3. 4.]]", "[[1.  2.] [3.   4.]]\n\n") is None


def test_changed_word_is_reported_with_its_line():
    mismatch = compare_output("a\nshape=(2, 3) float32", "a\nshape=(2, 3) float64")
    assert (mismatch.expected_line, mismatch.expected, mismatch.actual) == (2, "32", "64")


def test_extra_printed_line_fails():
    mismatch = compare_output("done", "done\nextra")
    assert mismatch.expected == "<end of shown output>" and mismatch.actual == "extra"


def test_missing_printed_line_fails():
    mismatch = compare_output("one\ntwo", "one")
    assert mismatch.expected == "two" and mismatch.actual == "<end of printed output>"


@pytest.mark.parametrize(
    ("shown", "printed", "agree"),
    [
        ("0.2729033", "0.27290332", True),  # 7e-8 relative: float32 noise
        ("0.2729033", "0.2729036", True),  # 1.1e-6 relative, but within atol=1e-6
        ("2.3025851", "2.3025874", True),  # 1.0e-6 relative: just inside
        ("2.3025851", "2.3025900", False),  # 2.1e-6 relative: just outside
        ("1000.0", "1000.0009", True),
        ("1000.0", "1000.0011", False),
        ("4.5094042e-05", "4.5094043e-05", True),
        ("4.5094042e-05", "4.7e-05", False),  # 1.9e-6 absolute
        ("108", "108.0", True),  # an integer and a float compare as numbers
        ("108", "109", False),  # two integers must be equal
        ("1000000", "1000001", False),  # even when the relative difference is tiny
        ("nan", "nan", True),
        ("1.414214", "1.4142135623730951", True),  # 3e-7 relative
        ("1.414217", "1.4142135623730951", False),  # 2.5e-6 relative
    ],
)
def test_numbers_are_compared_with_the_stated_tolerance(shown, printed, agree):
    assert (compare_output(f"loss {shown}", f"loss {printed}") is None) is agree


def test_a_block_can_state_a_wider_tolerance():
    assert compare_output("0.5", "0.5004", rtol=1e-3) is None
    assert compare_output("0.5", "0.5004") is not None


def test_the_tolerance_an_output_block_states_is_the_one_its_block_is_checked_with():
    from cookbook.page import parse_page
    from cookbook.plugin import check_output

    page = "# A page\n\n```python\nprint(2 ** 0.5)\n```\n\n``` { .text title=\"Output\" rtol=\"1e-3\" }\n1.4145\n```\n"
    stated, default = (parse_page("page.md", text) for text in (page, page.replace(' rtol="1e-3"', "")))
    assert check_output(stated, stated.blocks[0], "1.4142135623730951\n") is None
    assert "page.md:8: output differs" in check_output(default, default.blocks[0], "1.4142135623730951\n")


def test_negative_tolerance_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        compare_output("1", "1", rtol=-1)


def test_ellipsis_matches_varying_text():
    shown = "<tf.Variable 'v:0' ...> at ...\ndone"
    assert compare_output(shown, "<tf.Variable 'v:0' shape=() dtype=float32> at 0x7f3a\ndone") is None
    assert compare_output("start ... end", "start end") is None
    assert compare_output("start ... end", "start middle") is not None


def test_ellipsis_backtracks():
    assert compare_output("a ... b c", "a b x b c") is None


def test_long_outputs_do_not_exhaust_the_stack():
    numbers = " ".join(str(i) for i in range(20000))
    assert compare_output(f"[{numbers}]", f"[{numbers}]") is None
    assert compare_output(f"[... {numbers}]", f"[{numbers}]") is None


def test_tokens_split_numbers_from_words():
    assert [t.text for t in tokenize("dtype=float32, -1.5e-3")] == ["dtype", "=", "float", "32", ",", "-1.5e-3"]


def test_numbers_agree_treats_nan_only_equal_to_nan():
    assert not numbers_agree("nan", "1.0")


def test_non_text_is_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="actual is a bytes, not a str"):
        compare_output("1", b"1")


def test_native_log_lines_are_recognised_and_nothing_else():
    from cookbook.compare import without_native_log

    text = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1795680814.261362    4504 port.cc:153] oneDNN custom operations are on.\n"
        "E0000 00:00:1795684683.224327     468 util.cc:131] oneDNN supports DT_INT32 only on AVX-512.\n"
        "W1126 08:09:06.123456 140 op_kernel.cc:1858] OP_REQUIRES failed: out of order.\n"
        "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n"
        "\n"
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow.\n"
        "WARNING:tensorflow:a Python log line stays\n"
        "[1 2 3]\n"
        "  indented, after a Python line: stays\n"
    )
    assert without_native_log(text) == (
        "WARNING:tensorflow:a Python log line stays\n[1 2 3]\n  indented, after a Python line: stays\n"
    )


def test_litert_info_lines_are_native_log_lines_and_python_log_lines_are_not():
    """LiteRT's C++ logger writes "INFO: " and the message; Python's logging writes "INFO:name:message"."""
    from cookbook.compare import without_native_log

    text = (
        "input shape in the file: [ 1 32]\n"
        "INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n"
        "INFO:tensorflow:Assets written to: mlp_savedmodel/assets\n"
        "(16, 3) float32\n"
    )
    assert without_native_log(text) == (
        "input shape in the file: [ 1 32]\nINFO:tensorflow:Assets written to: mlp_savedmodel/assets\n(16, 3) float32\n"
    )


def test_native_log_lines_are_recognised_before_and_after_absl_starts():
    from cookbook.compare import without_native_log

    before_init = (
        "I0000 00:00:1795684435.295780   18818 port.cc:153] oneDNN custom operations are on. You may see slightly "
        "different numerical results.\n"
    )
    after_init = "W1126 09:10:11.123456   18818 cpu_feature_guard.cc:210] This TensorFlow binary is optimized.\n"
    assert without_native_log(before_init + after_init + "printed\n") == "printed\n"


def test_native_log_lines_of_tensorflow_2_16_to_2_20_are_recognised():
    """Before 2.21 the C++ runtime logs with a date; a record may print a protocol buffer over several lines."""
    from cookbook.compare import without_native_log

    text = (
        "2026-11-26 12:29:22.599665: W tensorflow/core/framework/local_rendezvous.cc:404] Local rendezvous is "
        "aborting with status: OUT_OF_RANGE: End of sequence\n"
        "[[1, 2], [3, 4], [5, 6]]\n"
        "2026-11-26 12:30:16.083691: E tensorflow/core/distributed_runtime/server.cc:99] cluster {\n"
        '  job { name: "worker" }\n'
        "}\n"
        "}\n"
    )
    assert without_native_log(text) == "[[1, 2], [3, 4], [5, 6]]\n}\n"


def test_the_nightlys_source_location_traces_belong_to_their_native_log_record():
    from cookbook.compare import without_native_log

    text = (
        "W0000 00:00:1795696734.867143   13473 op_kernel.cc:1934] OP_REQUIRES failed: out of order.\n"
        "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n"
        "\n"
        "=== Source Location Trace: ===\n"
        "tensorflow/core/util/sparse/sparse_tensor.cc:264\n"
        "external/xla/xla/stream_executor/cuda/cuda_status.cc:50\n"
        "\n"
        "InvalidArgumentError indices[1] = [0,0] is out of order.\n"
        "tensorflow/core/util/sparse/sparse_tensor.cc:264\n"
    )
    assert without_native_log(text) == (
        "InvalidArgumentError indices[1] = [0,0] is out of order.\ntensorflow/core/util/sparse/sparse_tensor.cc:264\n"
    )
