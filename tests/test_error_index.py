"""The error index's rule for what counts as an exception line of an output block, and its grouping."""

import pytest

from cookbook.site.error_index import message_shape, parse_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ValueError: Invalid value for argument `reduction`", ("ValueError", "Invalid value for argument `reduction`")),
        ("fit: InvalidArgumentError: Inputs to operation AddN", ("InvalidArgumentError", "Inputs to operation AddN")),
        ("ValueError Must specify maxval for integer dtype tf.int32", ("ValueError", "Must specify maxval for integer dtype tf.int32")),
        ("1 UserWarning: `shuffle=True` was passed", ("UserWarning", "`shuffle=True` was passed")),
        ("tensorflow.python.framework.errors_impl.NotFoundError: x", ("NotFoundError", "x")),
        ("WARNING:tensorflow:The dtype of the watched tensor", ("WARNING:tensorflow", "The dtype of the watched tensor")),
        ("[2, 3] @ [2, 3] -> InvalidArgumentError", ("InvalidArgumentError", "")),
        ("InvalidArgumentError when predictions come first", ("InvalidArgumentError", "")),
        ("ValueError When using `save_weights_only=True`", ("ValueError", "When using `save_weights_only=True`")),
        ("loss: 0.25", None),
        ("MyErrorCount: 3", None),  # a name that does not end in Error
        ("Epoch 1/3", None),
    ],
)
def test_which_output_lines_are_exception_lines(line, expected):
    assert parse_line(line) == expected


def test_messages_that_differ_only_in_names_and_numbers_have_one_shape():
    assert message_shape("Incompatible shapes: [3] vs. [2]") == message_shape("Incompatible shapes: [64,10] vs. [64]")
    assert message_shape("Got an unexpected keyword argument 'keep_dims'") == message_shape(
        "Got an unexpected keyword argument 'units_'"
    )
    assert message_shape("object at 0x7f3a2c1d90 is") == message_shape("object at 0x55d1 is")
    assert message_shape("PyFunc is stateful.") != message_shape("Field 2 is required but missing in record!")
