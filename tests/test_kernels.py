"""A kernel forked from the forkserver (``cookbook.kernels``) prints what a kernel Jupyter starts prints.

What TensorFlow and ipykernel decide when they are imported (where TensorFlow logs and at which level, where
``tf.print`` writes, whether the kernel has a parent) is decided in the forkserver, before any kernel exists;
the forked kernel makes it as a kernel would. One cell that exercises each of those runs in both kinds of
kernel, and each stream must carry the same text.
"""

import os

import nbformat
import pytest

from cookbook.compare import without_native_log
from cookbook.kernels import KERNEL_NAME, KernelForkserver, run_in_a_thread_of_its_own

CELL = """\
import os, sys, logging
os.write(2, b"written to fd 2\\n")
os.write(1, b"written to fd 1\\n")
import tensorflow as tf
tf.get_logger().info("an INFO log line")
tf.get_logger().warning("a WARNING log line")
tf.print("tf.print, default stream")
tf.print("tf.print to sys.stdout", output_stream=sys.stdout)
print("interactive:", hasattr(sys, "ps1"), "tensorflow logger level:", logging.getLogger("tensorflow").level)
"""
ENV = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"}


def streams(**client_options) -> dict[str, tuple[list[str], list[str]]]:
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    run_in_a_thread_of_its_own(NotebookClient(notebook, timeout=120, **client_options).async_execute(env=ENV))
    found: dict[str, str] = {}
    for output in notebook.cells[0].outputs:
        assert output.output_type == "stream", output
        found[output.name] = found.get(output.name, "") + output.text
    # What reaches a file descriptor comes through a pipe that the kernel reads in a thread of its own: where
    # it falls among the lines Python wrote is a matter of timing in any kernel.
    return {
        name: (
            [line for line in lines if not line.startswith("written to fd")],
            sorted(line for line in lines if line.startswith("written to fd")),
        )
        for name, lines in ((name, without_native_log(text).splitlines()) for name, text in found.items())
        if lines
    }


@pytest.mark.enable_socket  # the kernels talk to nbclient over ZeroMQ on 127.0.0.1
def test_a_forked_kernel_prints_what_a_kernel_jupyter_starts_prints():
    started_by_jupyter = streams(kernel_name="python3")
    with KernelForkserver(ENV) as forkserver:
        forked = streams(kernel_name=KERNEL_NAME, kernel_manager_class=forkserver.kernel_manager_class())
    assert "tf.print, default stream" in started_by_jupyter["stdout"][0]  # what the comparison covers
    assert forked == started_by_jupyter
