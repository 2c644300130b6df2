"""The ECGScript kernel against Jupyter's own conformance suite (jupyter_kernel_test) and clients.

Run by ShellTests/KernelProtocolTests with the venv of scripts/python-env and JUPYTER_PATH pointing at a
kernelspec that `ecgs kernel install --prefix` wrote; no other setup.
"""
import unittest

import jupyter_kernel_test as jkt


class ECGScriptKernelTests(jkt.KernelTests):
    kernel_name = "ecgs"
    language_name = "ecgscript"
    file_extension = ".ecgs"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'print("oops", stream="stderr")'
    code_page_something = "?print"
    code_generate_error = "1 / 0"
    code_clear_output = 'print("soon gone")\nclear_output()'
    code_inspect_sample = "len"
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "[1, 2] + [3]", "result": "[1, 2, 3]"},
        {"code": 'table({a: [1, 2], b: ["x", "y"]})', "mime": "text/html"},
    ]
    code_display_data = [
        {"code": "plot([1, 2, 3])", "mime": "image/png"},
        {"code": "scatter([1, 2], [3, 4])", "mime": "image/png"},
        {"code": "plot([1, 2, 3])", "mime": "application/pdf"},
    ]
    code_history_pattern = "1 +*"
    supported_history_operations = ("tail", "range", "search")

    completion_samples = [
        {"text": "linsp", "matches": {"linspace"}},
        {"text": "len.na", "matches": {"len.name"}},
        {"text": "x = 1\nfinetune(m, ds, epo", "matches": {"epochs="}},
    ]
    complete_code_samples = ["1", 'print("hello, world")', "fn f(x) { x }"]
    incomplete_code_samples = ["fn f(x) {", "x = [1,", "if true {\n  1"]
    invalid_code_samples = ["x = )", "1 +* 2"]


class ECGScriptIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = "ecgs"
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main(verbosity=2)
