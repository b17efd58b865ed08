"""Reproduce issue #22: "AttributeError: 'TfMethodTarget' object has no attribute 'built'" (TF 2.21.0).

Run with plain `python notes/tfmethodtarget_repro.py [TRIALS]`; it prints, for each variant, how many of
TRIALS first calls of a new instance failed.

What happens in Jupyter, and what each trial does by hand:

1. For every execute request, ipykernel puts a *new* bound method in builtins
   (ipykernel/ipkernel.py:298 `builtins.input = self.raw_input`) and restores the real `input` when the
   request ends (ipkernel.py:305), which frees that bound method.
2. The cell that imports TensorFlow runs inside such a request, and AutoGraph records the id() of every
   value in builtins at import time (tensorflow/python/autograph/pyct/inspect_utils.py:34). One of those
   ids is the soon-dead bound method's.
3. CPython reuses the freed address. When a later `types.MethodType` lands there, namely the bound method
   that tf.function builds around a TfMethodTarget for a new instance
   (polymorphic_function.py:1699-1703), AutoGraph takes it for a builtin (inspect_utils.py:64) and calls it
   as is (autograph/impl/api.py:371), so the method body runs with the TfMethodTarget as `self`.

In the kernel, step 3 happens only if the address happens to be free again at the right moment; a trial
here frees it just before the first call, and reloads inspect_utils to repeat step 2.
"""

import builtins
import importlib
import sys

import tensorflow as tf
from tensorflow.python.autograph.pyct import inspect_utils

tf.get_logger().setLevel("ERROR")


class Kernel:
    """Stands in for ipykernel's IPythonKernel."""

    def raw_input(self, prompt=""):
        raise RuntimeError("no stdin")


def dense_class(autograph=True):
    """The `Dense` of docs/saving/tf-function-savedmodel.md, with tf.function's autograph argument exposed."""

    class Dense(tf.Module):
        def __init__(self, units, name=None):
            super().__init__(name=name)
            self.units = units
            self.built = False

        @tf.Module.with_name_scope
        def build(self, input_shape):
            self.w = tf.Variable(tf.random.normal([input_shape[-1], self.units]), name="w")
            self.b = tf.Variable(tf.zeros([self.units]), name="b")
            self.built = True

        @tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32)], autograph=autograph)
        def __call__(self, x):
            if not self.built:
                self.build(x.shape)
            return tf.matmul(x, self.w) + self.b

    return Dense


KERNEL = Kernel()
BUILTIN_INPUT = builtins.input
INPUTS = tf.constant([[1.0, 2.0, 3.0], [0.5, 0.0, -1.0]])
KEPT = []


def trial(dense, keep_instances=False, keep_builtins_alive=False):
    """One execute request that imports TensorFlow, then the first call of a new instance. True if it failed."""
    builtins.input = KERNEL.raw_input  # ipkernel.py:298, at the start of a request
    importlib.reload(inspect_utils)  # the cell's `import tensorflow`: inspect_utils.py:34 runs again
    if keep_builtins_alive:  # the proposed upstream fix: the recorded ids stay those of live objects
        inspect_utils._BUILTIN_VALUES = tuple(builtins.__dict__.values())
    layer = dense(units=2, name="dense")
    if keep_instances:  # issue #22's first hypothesis: an id reused by a collected instance
        KEPT.append(layer)
    builtins.input = BUILTIN_INPUT  # ipkernel.py:305, at the end of the request: the bound method is freed
    try:
        layer(INPUTS)
    except AttributeError as error:
        assert "'TfMethodTarget' object has no attribute 'built'" in str(error), error
        return True
    return False


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    variants = {
        "the page's Dense": dict(dense=dense_class()),
        "every instance kept alive": dict(dense=dense_class(), keep_instances=True),
        "@tf.function(..., autograph=False)": dict(dense=dense_class(autograph=False)),
        "TF keeps the builtins it recorded alive": dict(dense=dense_class(), keep_builtins_alive=True),
    }
    for name, kwargs in variants.items():
        failures = sum(trial(**kwargs) for _ in range(trials))
        print(f"{name:>40}: {failures}/{trials} failed")


if __name__ == "__main__":
    main()
