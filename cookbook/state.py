"""The process-wide state a page can change, taken as a baseline and restored after every page.

Pages run one after another in one Python (see :mod:`cookbook.child`); a page that sets
``keras.config.set_floatx("float64")`` must not change what the next page prints. :func:`restore` puts
back everything listed in :func:`snapshot`; :func:`restore` then compares, and names what it could not
put back, so that the page fails instead of leaking.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import warnings


def _loggers() -> dict[str, logging.Logger]:
    loggers = {
        name: logger for name, logger in logging.root.manager.loggerDict.items() if isinstance(logger, logging.Logger)
    }
    loggers[""] = logging.root
    return loggers


def snapshot() -> dict[str, object]:
    """What a page could change, as comparable values (libraries that are not imported yet are left out)."""
    state: dict[str, object] = {
        "working directory": os.getcwd(),
        "environment variables": dict(os.environ),
        "sys.path": list(sys.path),
        "warnings filters": list(warnings.filters),
        "logging levels": {
            name: (logger.level, logger.propagate, logger.disabled, tuple(logger.handlers))
            for name, logger in _loggers().items()
        },
        "logging.disable": logging.root.manager.disable,
        "sys.stdout and sys.stderr": (sys.stdout, sys.stderr),
    }
    if "numpy" in sys.modules:
        import numpy as np

        state["NumPy print options"] = np.get_printoptions()
        state["NumPy floating-point errors"] = np.geterr()
    if "keras" in sys.modules:
        import keras

        state["keras.config.floatx"] = keras.config.floatx()
        state["keras.config.epsilon"] = keras.config.epsilon()
        state["keras.config.image_data_format"] = keras.config.image_data_format()
        state["keras.config.dtype_policy"] = keras.config.dtype_policy().name
        state["keras traceback filtering"] = keras.config.is_traceback_filtering_enabled()
        state["keras interactive logging"] = keras.config.is_interactive_logging_enabled()
    if "tensorflow" in sys.modules:
        import tensorflow as tf
        from tensorflow.python.eager import context
        from tensorflow.python.framework import config

        state["tf.config.run_functions_eagerly"] = tf.config.functions_run_eagerly()
        state["tf.config.optimizer jit"] = tf.config.optimizer.get_jit()
        state["tf.config.optimizer experimental options"] = tf.config.optimizer.get_experimental_options()
        state["tf.config soft device placement"] = tf.config.get_soft_device_placement()
        state["tf op determinism"] = config.is_op_determinism_enabled()
        state["tf TensorFloat-32"] = tf.config.experimental.tensor_float_32_execution_enabled()
        state["tf device placement logging"] = context.context().log_device_placement
        state["tf check numerics and other op callbacks"] = len(context.context().op_callbacks)
        state["tf traceback filtering"] = tf.debugging.is_traceback_filtering_enabled()
    return state


def restore(baseline: dict[str, object]) -> list[str]:
    """Put back the baseline; return the names of what still differs from it afterwards."""
    os.chdir(baseline["working directory"])
    os.environ.clear()
    os.environ.update(baseline["environment variables"])
    sys.path[:] = baseline["sys.path"]
    warnings.filters[:] = baseline["warnings filters"]
    warnings._filters_mutated()  # forget which warnings were shown, as a fresh process would
    levels = baseline["logging levels"]
    for name, logger in _loggers().items():
        level, propagate, disabled, handlers = levels.get(name, (logging.NOTSET, True, False, ()))
        logger.setLevel(level)
        logger.propagate, logger.disabled, logger.handlers = propagate, disabled, list(handlers)
    logging.disable(baseline["logging.disable"])
    sys.stdout, sys.stderr = baseline["sys.stdout and sys.stderr"]
    random.seed()
    if "NumPy print options" in baseline:
        import numpy as np

        np.set_printoptions(**baseline["NumPy print options"])
        np.seterr(**baseline["NumPy floating-point errors"])
        np.random.seed(None)
    if "keras.config.floatx" in baseline:
        import keras

        keras.config.set_floatx(baseline["keras.config.floatx"])
        keras.config.set_epsilon(baseline["keras.config.epsilon"])
        keras.config.set_image_data_format(baseline["keras.config.image_data_format"])
        keras.config.set_dtype_policy(baseline["keras.config.dtype_policy"])
        (
            keras.config.enable_traceback_filtering
            if baseline["keras traceback filtering"]
            else keras.config.disable_traceback_filtering
        )()
        (
            keras.config.enable_interactive_logging
            if baseline["keras interactive logging"]
            else keras.config.disable_interactive_logging
        )()
        # free_memory=False skips a full gc.collect() (0.2 s a call): reference counting frees a page's objects.
        keras.backend.clear_session(free_memory=False)
    if "tf.config.run_functions_eagerly" in baseline:
        import tensorflow as tf
        from tensorflow.python.eager import context
        from tensorflow.python.framework import config

        tf.config.run_functions_eagerly(baseline["tf.config.run_functions_eagerly"])
        tf.config.optimizer.set_jit(baseline["tf.config.optimizer jit"])
        # set_experimental_options() only adds keys; a key a page added is dropped by resetting the dict.
        ctx = context.context()
        ctx._optimizer_experimental_options = dict(baseline["tf.config.optimizer experimental options"])
        ctx._thread_local_data.function_call_options = None
        tf.config.set_soft_device_placement(baseline["tf.config soft device placement"])
        if not baseline["tf op determinism"]:
            config.disable_op_determinism()
        tf.config.experimental.enable_tensor_float_32_execution(baseline["tf TensorFloat-32"])
        tf.debugging.set_log_device_placement(baseline["tf device placement logging"])
        tf.debugging.disable_check_numerics()
        tf.debugging.experimental.disable_dump_debug_info()
        (
            tf.debugging.enable_traceback_filtering
            if baseline["tf traceback filtering"]
            else tf.debugging.disable_traceback_filtering
        )()
        tf.random.set_seed(None)
        from tensorflow.python.util import deprecation

        deprecation._PRINTED_WARNING.clear()  # each deprecation warning is printed once per process: as in a new one
        from tensorflow.python.eager.polymorphic_function import polymorphic_function

        # "N out of the last M calls to <function> triggered tf.function retracing" counts calls per Python
        # function across the whole process: start each page with the counts of a new process.
        polymorphic_function._frequent_tracing_detector_manager._detectors.clear()
    after = snapshot()
    # Loggers a page created are not in the baseline; they were reset above like the others.
    after["logging levels"] = {name: after["logging levels"].get(name) for name in levels}
    return [name for name, value in baseline.items() if after.get(name) != value]
