"""Notebooks with the ECGScript kernel through nbclient, nbformat and nbconvert, and the .ipynb ⇄ .ecgs
round trip with `ecgs convert` and `ecgs notebook`."""
import os
import subprocess
import sys
import unittest

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ECGS = os.environ.get("ECGS", "ecgs")


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "ecgs", "display_name": "ECGScript", "language": "ecgscript"}
    return nb


class NotebookTests(unittest.TestCase):
    def test_kernelspec_is_listed(self):
        r = subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        import json

        spec = json.loads(r.stdout)["kernelspecs"]["ecgs"]["spec"]
        self.assertEqual(spec["display_name"], "ECGScript")
        self.assertEqual(spec["language"], "ecgscript")
        self.assertTrue(os.path.isabs(spec["argv"][0]) and spec["argv"][1:] == ["kernel", "-f", "{connection_file}"])

    def test_nbclient_runs_plot_interrupted_training_and_error(self):
        nb = notebook([
            new_markdown_cell("# A report\nWith a **plot**, a training cut short by the time limit, and an error."),
            new_code_cell('ds = synth(n=60, seconds=2.5, seed=1)\nm = net1d(preset="tiny", classes=len(ds.classes))'),
            new_code_cell("plot([1, 4, 9, 16], title=\"squares\")"),
            new_code_cell("run = finetune(m, ds, epochs=1000, lr=1e-3, batch=8, patience=nil)"),
            new_code_cell("run.interrupted"),
            new_code_cell("1 / 0"),
            new_code_cell('print("after the error")'),
        ])
        client = NotebookClient(nb, kernel_name="ecgs", timeout=12, interrupt_on_timeout=True, allow_errors=True)
        client.execute()
        nbformat.validate(nb)
        outs = [c.get("outputs", []) for c in nb.cells]
        self.assertTrue(any("image/png" in o.get("data", {}) for o in outs[2]), outs[2])
        progress = [o for o in outs[3] if o["output_type"] == "display_data"]
        self.assertEqual(len(progress), 1, outs[3])  # one display, updated in place
        self.assertIn("finetune epoch", progress[0]["data"]["text/plain"])
        self.assertLessEqual(progress[0]["data"]["text/plain"].count("\n"), 22)
        self.assertEqual(outs[4][0]["data"]["text/plain"], "true")  # stopped at the time limit, best model kept
        self.assertEqual(outs[5][0]["output_type"], "error")
        self.assertEqual(outs[5][0]["ename"], "ECGScriptError")
        self.assertIn("division by zero", outs[5][0]["evalue"])
        self.assertEqual(outs[6][0]["text"], "after the error\n")
        nbformat.write(nb, "report.ipynb")

        # The executed notebook becomes a percent script and replays with `ecgs notebook`.
        subprocess.run([ECGS, "convert", "report.ipynb", "report.ecgs"], check=True, capture_output=True)
        script = open("report.ecgs").read()
        self.assertTrue(script.startswith("# %% [markdown]\n# # A report\n"), script[:200])
        self.assertIn("# %%\nplot([1, 4, 9, 16], title=\"squares\")", script)
        self.assertEqual(script.count("# %%"), 7)
        bad = subprocess.run([ECGS, "convert", "report.ipynb", "report.txt"], capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("converts to an .ecgs script", bad.stderr)

    def test_nbconvert_execute_to_html(self):
        nb = notebook([
            new_markdown_cell("## nbconvert"),
            new_code_cell("x = linspace(0, 1, 5)\nx"),
            new_code_cell("plot(x, x ^ 2)"),
            new_code_cell('table({a: [1, 2], b: ["x", "y"]})'),
        ])
        nbformat.write(nb, "small.ipynb")
        r = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", "--execute", "small.ipynb"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        html = open("small.html").read()
        self.assertIn("data:image/png;base64", html)
        self.assertIn("<table", html)
        self.assertIn("0.2500", html)

    def test_ecgs_notebook_output_opens_with_the_kernel_and_round_trips(self):
        open("s.ecgs", "w").write("# %% [markdown]\n# # Title\n#\n# text\n\n# %% Load\ny = 1 + 1\ny\n\n# %%\nprint(y)\n")
        subprocess.run([ECGS, "notebook", "s.ecgs", "-o", "s.ipynb"], check=True, capture_output=True)
        nb = nbformat.read("s.ipynb", as_version=4)
        nbformat.validate(nb)
        self.assertEqual(nb.metadata["kernelspec"]["name"], "ecgs")
        NotebookClient(nb, kernel_name="ecgs", timeout=60).execute()  # re-run by Jupyter with the kernel
        self.assertEqual(nb.cells[1].outputs[0]["data"]["text/plain"], "2")
        nbformat.write(nb, "s2.ipynb")
        subprocess.run([ECGS, "convert", "s2.ipynb", "s2.ecgs"], check=True, capture_output=True)
        self.assertEqual(open("s2.ecgs").read(), "# %% [markdown]\n# # Title\n#\n# text\n\n# %% Load\ny = 1 + 1\ny\n\n# %%\nprint(y)\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
